/**
 * Edits of the demo stack, as a reusable table: the ones that must not change what any resource governs (so the
 * engine must see the same URNs, and the tenant must keep every assignment and setting), and the ones that do
 * (so exactly the old assignment goes and the new one comes).
 *
 * Shared by the program tests under mocks (names and aliases), the engine-order tests against the emulator
 * (create the new resources, then delete the old ones, calling the providers in that order) and, later, the engine
 * double that runs the same scenarios through Pulumi's own processes. A scenario is data plus pure file edits; it
 * knows nothing of how it is run.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A stack's declaration files, by path relative to its folder (`tenant.yaml`, `grants/<id>.yaml`). */
export type StackFiles = Record<string, string>;

/** What an edit may need to know about the tenant (object ids of existing users). */
export interface EditContext {
  objectId(upn: string): string;
}

export interface StackEdit {
  name: string;
  /** The declarations after the edit. */
  edit(files: StackFiles, ctx: EditContext): StackFiles;
  /** The declarations folder after the edit (default: unchanged). */
  folder?: string;
}

export interface IdentityChange extends StackEdit {
  /** Labels' grant ids (file names) whose schedule must be created, and whose must be removed. */
  creates: string[];
  deletes: string[];
}

const ROOT = path.resolve(__dirname, "../..");

/** The demo stack's files as they are in the repository. */
export function demoFiles(): StackFiles {
  const dir = path.join(ROOT, "stacks", "demo");
  const files: StackFiles = { "tenant.yaml": fs.readFileSync(path.join(dir, "tenant.yaml"), "utf8") };
  for (const f of fs.readdirSync(path.join(dir, "grants")).sort())
    files[`grants/${f}`] = fs.readFileSync(path.join(dir, "grants", f), "utf8");
  return files;
}

/** Writes `files` as `stacks/<folder>/` under a new temporary root; returns the root. */
export function writeStack(files: StackFiles, folder = "demo"): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pim-scenario-"));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, "stacks", folder, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return root;
}

/** `text` with `from` replaced once; fails loudly when the demo no longer holds `from`. */
export function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from))
    throw new Error(`the demo no longer contains ${JSON.stringify(from)}; update the scenario`);
  return text.replace(from, to);
}

function renamed(files: StackFiles, from: string, to: string): StackFiles {
  if (!(from in files)) throw new Error(`the demo no longer has ${from}; update the scenario`);
  const { [from]: text, ...rest } = files;
  return { ...rest, [to]: text! };
}

const ADA_GRANT = "grants/ada-lovelace-security-reader.yaml";

/** Edits after which every resource governs what it governed before: the same names, nothing lost or reverted. */
export const IDENTITY_PRESERVING_EDITS: StackEdit[] = [
  {
    name: "rename a grant file",
    edit: (f) => renamed(f, ADA_GRANT, "grants/security-reader-for-ada.yaml"),
  },
  {
    name: "move a grant to another file, rewritten (keys reordered, comments, the end as a date-time)",
    edit: (f) => {
      const { [ADA_GRANT]: before, ...rest } = f;
      if (!before?.includes("end: 2027-10-31\n"))
        throw new Error(`the demo's ${ADA_GRANT} changed; update the scenario`);
      return {
        ...rest,
        "grants/zz-moved.yaml":
          "# Moved here from ada-lovelace-security-reader.yaml.\n" +
          "kind: eligible\nrole: Security Reader\nprincipal: ada.lovelace@contoso.com\n" +
          "# Through the end of 2027-10-31, written as the instant it ends.\nend: 2027-11-01T00:00:00Z\n" +
          "justification: Test user for the security operations runbooks\n" +
          "ticket: { system: ServiceNow, number: RITM0041001 }\nrequestedBy: ken.thompson@contoso.com\n",
      };
    },
  },
  {
    name: "move the declarations to another folder",
    folder: "contoso",
    edit: (f) => f,
  },
  {
    name: "rename a role entry (display name ↔ template id, another case)",
    edit: (f) => ({
      ...f,
      "tenant.yaml": replaceOnce(
        replaceOnce(
          f["tenant.yaml"]!,
          "    - role: Global Administrator\n",
          "    - role: 62e90394-69f5-4237-9190-012177145e10\n",
        ),
        "    - role: Security Reader\n",
        "    - role: security reader\n",
      ),
      [ADA_GRANT]: replaceOnce(f[ADA_GRANT]!, "role: Security Reader", "role: SECURITY READER"),
    }),
  },
  {
    name: "change a principal's spelling (UPN → object id, another case)",
    edit: (f, ctx) => ({
      ...f,
      [ADA_GRANT]: replaceOnce(
        f[ADA_GRANT]!,
        "principal: ada.lovelace@contoso.com",
        `principal: ${ctx.objectId("ada.lovelace@contoso.com")}`,
      ),
      "grants/ken-thompson-global-administrator.yaml": replaceOnce(
        f["grants/ken-thompson-global-administrator.yaml"]!,
        "principal: ken.thompson@contoso.com",
        "principal: Ken.Thompson@Contoso.com",
      ),
      "tenant.yaml": replaceOnce(
        f["tenant.yaml"]!,
        "      - margaret.hamilton@contoso.com\n",
        "      - Margaret.Hamilton@contoso.com\n",
      ),
    }),
  },
];

/** Edits that change what a grant governs: the old assignment must go and the new one come, nothing else. */
export const IDENTITY_CHANGING_EDITS: IdentityChange[] = [
  {
    name: "give a grant to another person",
    edit: (f) => ({
      ...f,
      [ADA_GRANT]: replaceOnce(
        f[ADA_GRANT]!,
        "principal: ada.lovelace@contoso.com",
        "principal: grace.hopper@contoso.com",
      ),
    }),
    creates: ["ada-lovelace-security-reader"],
    deletes: ["ada-lovelace-security-reader"],
  },
];
