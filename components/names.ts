/**
 * Resource names. A child's logical name is part of its URN, and for PIM a renamed child is a delete plus a
 * create of a privileged assignment, so names derive only from stable declaration identities (role name, group
 * name, grant file name, UPN) and never from list positions or file order.
 */

import { slug } from "../model/slug";

export { slug };

/**
 * Hands out names and refuses a second claim. Pulumi's mocks never notice duplicate URNs and the engine only
 * fails late, so two declarations whose slugs collide (`a.b@x` and `a-b@x`) are caught here, naming both.
 */
export class NameRegistry {
  private readonly owners = new Map<string, string>();

  claim(name: string, what: string): string {
    const prior = this.owners.get(name);
    if (prior !== undefined) {
      throw new Error(`resource name "${name}" is claimed by both ${prior} and ${what}; rename one of them`);
    }
    this.owners.set(name, what);
    return name;
  }
}
