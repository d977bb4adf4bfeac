/**
 * URNs and aliases, computed the way the engine computes them (pulumi/pulumi `sdk/go/common/resource/urn.go`
 * `NewURN`, and `pkg/resource/deploy/step_generator.go` `collapseAliasToUrn`, `inheritedChildAlias`,
 * `generateAliases`): `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type is the
 * parent's qualified type, `$`, the type, except that the root stack is never part of it.
 */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface UrnParts {
  stack: string;
  project: string;
  /** `parentType$...$type`. */
  qualifiedType: string;
  /** The last segment of the qualified type. */
  type: string;
  name: string;
}

export function parseUrn(urn: string): UrnParts {
  const m = /^urn:pulumi:(.*?)::(.*?)::(.*?)::(.*)$/s.exec(urn);
  if (!m) throw new Error(`not a URN: ${urn}`);
  const [, stack, project, qualifiedType, name] = m as unknown as [string, string, string, string, string];
  return { stack, project, qualifiedType, type: qualifiedType.split("$").pop()!, name };
}

export function newUrn(
  stack: string,
  project: string,
  parentUrn: string,
  type: string,
  name: string,
): string {
  let qualified = type;
  if (parentUrn) {
    const parent = parseUrn(parentUrn);
    if (parent.type !== ROOT_STACK_TYPE) qualified = `${parent.qualifiedType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** An alias as the SDK sends it with `aliasSpecs` support: a URN, or a spec whose empty fields mean "as now". */
export type AliasSpec =
  | { urn: string }
  | {
      name?: string;
      type?: string;
      stack?: string;
      project?: string;
      parentUrn?: string;
      noParent?: boolean;
    };

export interface AliasContext {
  stack: string;
  project: string;
  type: string;
  name: string;
  parentUrn: string;
  /** Old URN a parent was matched through, by the parent's new URN (the engine's `sg.aliases`). */
  parentAliases: ReadonlyMap<string, string>;
}

/** The URN an alias stands for (`collapseAliasToUrn`). */
export function collapseAlias(ctx: AliasContext, alias: AliasSpec): string {
  if ("urn" in alias) return alias.urn;
  let parent = alias.parentUrn || ctx.parentUrn;
  if (alias.parentUrn) parent = ctx.parentAliases.get(parent) ?? parent;
  if (alias.noParent || (parent && parseUrn(parent).type === ROOT_STACK_TYPE)) parent = "";
  return newUrn(
    alias.stack || ctx.stack,
    alias.project || ctx.project,
    parent,
    alias.type || ctx.type,
    alias.name || ctx.name,
  );
}

/** The alias a child inherits from the old URN its parent was matched through (`inheritedChildAlias`). */
function inheritedChildAlias(
  ctx: AliasContext,
  childType: string,
  childName: string,
  parentAlias: string,
): string {
  const parentName = parseUrn(ctx.parentUrn).name;
  const aliasName = childName.startsWith(parentName)
    ? parseUrn(parentAlias).name + childName.slice(parentName.length)
    : childName;
  return newUrn(ctx.stack, ctx.project, parentAlias, childType, aliasName);
}

/** Every URN a registration may have had before, in the engine's order, without duplicates (`generateAliases`). */
export function aliasUrns(ctx: AliasContext, aliases: readonly AliasSpec[]): string[] {
  const out: string[] = [];
  const add = (u: string) => {
    if (!out.includes(u)) out.push(u);
  };
  for (const a of aliases) add(collapseAlias(ctx, a));
  const parentAlias = ctx.parentUrn ? ctx.parentAliases.get(ctx.parentUrn) : undefined;
  if (parentAlias) {
    add(inheritedChildAlias(ctx, ctx.type, ctx.name, parentAlias));
    for (const a of aliases) {
      const child = parseUrn(collapseAlias(ctx, a));
      add(inheritedChildAlias(ctx, child.type, child.name, parentAlias));
    }
  }
  return out;
}
