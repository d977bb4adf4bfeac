import { describe, expect, it } from "vitest";
import { deleteItem, deleteKey, setScalar } from "../../scripts/lib/yamlEdit";

const GRANT =
  "# comment kept\nprincipal: a@x.com # who\nkind: eligible\nstart: 2026-11-20\nduration: P42D\nticket: { system: Jira, number: A-1 }\n";
const GROUPS = [
  "pimGroups:",
  "  - name: Ops",
  "    members:",
  "      eligible:",
  "        - principal: a@x.com",
  "          end: 2027-04-30",
  "          justification: rota",
  "        - principal: b@x.com",
  "          end: 2027-05-31",
  "    owners: { eligible: [] }",
  "",
].join("\n");

describe("yamlEdit keeps the rest of the file as written", () => {
  it("replaces a value in place, comments and flow maps untouched", () => {
    expect(setScalar(GRANT, ["start"], "2026-12-01")).toBe(
      GRANT.replace("start: 2026-11-20", "start: 2026-12-01"),
    );
  });
  it("adds a missing key after a sibling, at its indentation, inside a sequence item too", () => {
    expect(setScalar(GRANT, ["end"], "2027-01-31", "kind")).toBe(
      GRANT.replace("kind: eligible\n", "kind: eligible\nend: 2027-01-31\n"),
    );
    expect(
      setScalar(GROUPS, ["pimGroups", 0, "members", "eligible", 1, "start"], "2027-01-01", "principal"),
    ).toBe(
      GROUPS.replace(
        "        - principal: b@x.com\n",
        "        - principal: b@x.com\n          start: 2027-01-01\n",
      ),
    );
  });
  it("removes a key, or a sequence item with all its lines", () => {
    expect(deleteKey(GRANT, ["duration"])).toBe(GRANT.replace("duration: P42D\n", ""));
    expect(deleteKey(GRANT, ["nope"])).toBe(GRANT);
    expect(deleteItem(GROUPS, ["pimGroups", 0, "members", "eligible", 0])).toBe(
      GROUPS.replace(
        "        - principal: a@x.com\n          end: 2027-04-30\n          justification: rota\n",
        "",
      ),
    );
    expect(deleteItem(GROUPS, ["pimGroups", 0, "members", "eligible", 1])).toBe(
      GROUPS.replace("        - principal: b@x.com\n          end: 2027-05-31\n", ""),
    );
  });
  it("refuses what it cannot do instead of guessing", () => {
    expect(() => setScalar(GRANT, ["ticket"], "x")).toThrow("ticket is not a plain value");
    expect(() => setScalar(GRANT, ["end"], "x")).toThrow("cannot place end");
    expect(() => deleteItem(GROUPS, ["pimGroups", 3])).toThrow("pimGroups.3 does not exist");
  });
});
