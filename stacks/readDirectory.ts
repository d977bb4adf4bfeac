/**
 * What the program reads before it registers anything: every distinct principal, administrative unit and
 * application the declarations name (in `$batch` requests, one read per distinct reference), and each
 * break-glass account's standing. Resource names come from the object ids read here, so they are known when the
 * resources are registered; any name that does not resolve, and any break-glass account that is not sound, stops
 * the run with every problem listed and nothing changed.
 */
import * as pulumi from "@pulumi/pulumi";
import { breakGlassReference, Directory, directoryReferences, resolveDirectory } from "../components";
import { escapeControlChars, type TenantModel } from "../model";
import type { GraphApi } from "../providers/graph";
import { resolveReferences, verifyBreakGlass, type VerifiedBreakGlass } from "../providers/graph/reads";

export interface ReadDirectory {
  directory: Directory;
  breakGlass: VerifiedBreakGlass[];
}

/** Failures of the read itself (credentials, permissions, the tenant claim) are the user's to fix, not bugs. */
const USER_FIXABLE = new Set(["GraphError", "GraphConfigError", "TenantMismatchError", "DirectoryReadError"]);

export async function readDirectory(g: GraphApi, model: TenantModel): Promise<ReadDirectory> {
  const refs = directoryReferences(model);
  const accounts = model.breakGlass.map((b) => ({ b, ref: breakGlassReference(b.upn) }));
  const toRead = new Map([...refs, ...accounts.map((a) => a.ref)].map((r) => [r.key, r]));
  try {
    const found = await resolveReferences(g, [...toRead.values()]);
    const { objects, problems } = resolveDirectory(refs, found);
    const verification = await verifyBreakGlass(
      g,
      accounts.map(({ b, ref }) => ({
        upn: b.upn,
        where: `${b.source.file}:${b.source.line}:${b.source.column}`,
        user: found.get(ref.key)?.find((o) => o.type === "user") ?? null,
      })),
    );
    for (const { ref } of accounts) {
      const user = found.get(ref.key)?.find((o) => o.type === "user");
      if (user) objects.set(ref.key, user);
    }
    // Problems quote what the tenant answered (display names) and the declarations: escaped like every output.
    const all = [...problems, ...verification.problems].map(escapeControlChars);
    if (all.length) {
      throw new pulumi.RunError(
        `stacks/${model.stack}: ${all.length} problem(s) found reading tenant ${model.tenant.id}; nothing was changed.\n  - ${all.join("\n  - ")}`,
      );
    }
    return { directory: new Directory(model, objects), breakGlass: verification.verified };
  } catch (e) {
    if (e instanceof Error && USER_FIXABLE.has(e.name)) {
      throw new pulumi.RunError(
        `stacks/${model.stack}: could not read tenant ${model.tenant.id} before making changes; nothing was changed. ${escapeControlChars(e.message)}`,
      );
    }
    throw e;
  }
}
