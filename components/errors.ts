/**
 * One house style for refusing a declaration: `` `<property>` <what is wrong>. <how to fix>. ``
 *
 * A refusal is a user's mistake, not a bug, so the error is attached to the component and printed without a
 * stack trace (`hideStack`), the same way the program prints loader diagnostics.
 */
import * as pulumi from "@pulumi/pulumi";

export function refuse(resource: pulumi.Resource, propertyPath: string, reason: string): never {
  throw new pulumi.ResourceError(`\`${propertyPath}\` ${reason}`, resource, true);
}
