/** A user's mistake in stack config stops the program with a RunError (no stack trace) before any resource. */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, settle, type Harness } from "../components/harness";

let h: Harness;

beforeAll(() => {
  h = installMocks({ project: "pim", stack: "prod" });
  // The CLI passes Pulumi.yaml's empty default: the stack name is the folder, and stacks/prod does not exist.
  pulumi.runtime.setAllConfig({ "pim:declarations": "" });
});

describe("program: unknown declarations folder", () => {
  it("fails with a RunError naming the known stacks and registers nothing", async () => {
    let error: unknown;
    try {
      await import("../../stacks/index.js");
    } catch (e) {
      error = e;
    }
    await settle();
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'no stack named "prod": stacks/prod/tenant.yaml does not exist (stacks here: demo). Set the stack config pim:declarations to the folder under stacks/ that holds tenant.yaml.',
    );
    expect(h.resources).toEqual([]);
  });
});
