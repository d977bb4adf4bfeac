/**
 * The stack `pim init` writes: the smallest set of declarations that passes `pim check` under every safe-default
 * rule, with a comment at each value a team must change before the first `pulumi up`.
 *
 * Why this much: the safe-default rules judge the tenant as a whole, not only the roles a stack names. A first
 * stack that declares, say, Security Reader alone fails `pim check` with four mandatory findings: no break-glass
 * accounts (PIM-006), fewer than two Global Administrators (PIM-001; the two break-glass accounts count), and no
 * admin alerts on eligible and active assignment (PIM-028), because Microsoft labels Security Reader privileged.
 * This template declares what every tenant needs first; roles are added next to it.
 */

export interface InitOptions {
  stack: string;
  /** Directory (tenant) id; the all-zero placeholder when the team does not know it yet. */
  tenantId: string;
  /** The tenant's initial domain (`<name>.onmicrosoft.com`): break-glass accounts must live there (PIM-007). */
  domain: string;
}

/** The tenant id written when none is given: it matches no tenant, so nothing can be deployed by mistake. */
export const PLACEHOLDER_TENANT = "00000000-0000-0000-0000-000000000000";

export interface StackFile {
  /** Relative to the repository root, `/`-separated. */
  path: string;
  content: string;
}

export function initialStack(o: InitOptions): StackFile[] {
  const tenantNote =
    o.tenantId === PLACEHOLDER_TENANT
      ? "# CHANGE: your directory (tenant) id; this placeholder matches no tenant, so nothing deploys until it is set"
      : "# the tenant this stack governs; the program refuses a token for any other";
  const tenant = `# yaml-language-server: $schema=../../schemas/tenant.schema.json
#
# Stack ${o.stack}, written by \`pim init\`. It passes \`pim check\` as it is; before the first \`pulumi up\`, change
# every value marked CHANGE (\`grep -n CHANGE stacks/${o.stack}/tenant.yaml\`) and run \`pim check --stack ${o.stack}\` again.
#
# Why a first stack holds this much: the safe-default rules judge the whole tenant, not only the roles you
# declare. Every tenant needs two break-glass accounts (PIM-006) and at least two Global Administrators (PIM-001;
# the break-glass accounts count), and every privileged role needs admin alerts on assignment and activation
# (PIM-028, PIM-029, PIM-030). That is why a stack that declares only Security Reader fails: Microsoft labels
# Security Reader privileged. Add your roles under roleSettings (profile: baseline is a good start) and grants,
# one file per grant, under grants/.

tenant:
  id: ${o.tenantId} ${tenantNote}
  name: ${o.stack} # a human name for reports; change it freely

profiles:
  # Every role under PIM: MFA and a justification to activate, nothing permanent, admins alerted.
  baseline:
    description: Every role under PIM. MFA and justification to activate; nothing permanent.
    activation:
      maximumDuration: PT8H
      requireMfa: true
      requireJustification: true
    eligibleAssignment:
      allowPermanent: false
      maximumDuration: P365D
    activeAssignment:
      allowPermanent: false
      maximumDuration: P30D
      requireJustification: true
    notifications:
      # CHANGE: a mailbox your security team reads; PIM's default recipients alone do not reach it.
      eligibleAssignment:
        admin: { level: all, defaultRecipients: true, additionalRecipients: [pim-alerts@${o.domain}] }
      activeAssignment:
        admin: { level: all, defaultRecipients: true, additionalRecipients: [pim-alerts@${o.domain}] }
      activation:
        admin: { level: all, defaultRecipients: true, additionalRecipients: [pim-alerts@${o.domain}] }

  # The roles that control the tenant: one hour, a ticket, and approval by the Tier-0 approvers.
  tier0:
    extends: baseline
    description: Roles that control the tenant. One hour, a ticket, approved by the Tier-0 approvers.
    activation:
      maximumDuration: PT1H
      requireTicket: true
      approval:
        required: true
        requiredForExtension: true
        stages:
          - timeoutDays: 1
            approverJustification: true
    eligibleAssignment:
      maximumDuration: P180D
    activeAssignment:
      maximumDuration: P15D

roleSettings:
  directoryRoles:
    # Declared first because either can grant any role: undeclared, they keep Entra's defaults (no approval).
    - role: Global Administrator
      profile: tier0
    - role: Privileged Role Administrator
      profile: tier0
    # Add your roles here, e.g.:
    # - role: Security Reader
    #   profile: baseline

approverGroups:
  # The stack creates this group. Approvers must not be eligible for the roles they approve (PIM-038) and must
  # not be break-glass accounts (PIM-036); two at least (PIM-021).
  - name: PIM Approvers - Tier 0
    description: Approves activation of the roles that control the tenant. Members hold none of them.
    members:
      - approver-1@${o.domain} # CHANGE: a person who approves Tier-0 activations
      - approver-2@${o.domain} # CHANGE: a second approver, so one absence never blocks an emergency
    approves:
      - Global Administrator
      - Privileged Role Administrator

# Emergency access accounts, kept outside PIM on purpose: permanent active Global Administrator, cloud-only, on the
# initial domain (PIM-007), never eligible and never approvers (PIM-036). The product verifies them and never
# creates or changes them: create both in Entra first, with FIDO2 keys kept apart.
breakGlass:
  - upn: break-glass-1@${o.domain} # CHANGE: your first emergency access account
    description: "Emergency access 1 (CHANGE: where its key is kept)"
  - upn: break-glass-2@${o.domain} # CHANGE: your second emergency access account
    description: "Emergency access 2 (CHANGE: where its key is kept)"

safeDefaults:
  # cisa: CISA SCuBA MS.AAD.7 as written; strict: Microsoft's guidance; cis: CIS Microsoft 365 (policies/README.md).
  profile: cisa
`;
  const grants = `# Grants of stack ${o.stack}

One file per grant: each access request is one pull request. \`pim request --stack ${o.stack}\` writes one, or by
hand, e.g. \`ada-lovelace-security-reader.yaml\`:

\`\`\`yaml
# yaml-language-server: $schema=../../../schemas/grant.schema.json
principal: ada.lovelace@contoso.com
role: Security Reader
kind: eligible
end: 2027-03-31
justification: Security operations runbooks
\`\`\`

The role needs its settings under \`roleSettings\` in ../tenant.yaml. Break-glass accounts never get grants (PIM-036).
`;
  const config = `# Stack configuration of ${o.stack}, written by \`pim init\`: only how the program reaches the tenant.
# The declarations live in stacks/${o.stack}/.
config:
  pim:declarations: ${o.stack}
  azuread:tenantId: ${o.tenantId}${o.tenantId === PLACEHOLDER_TENANT ? " # CHANGE: the same tenant id as in tenant.yaml" : ""}
  # To try the stack against the local emulator instead of a tenant (\`npm run pim -- emulator --seed
  # stacks/${o.stack}/tenant.yaml --port 8787\`), uncomment:
  # pim:graphBaseUrl: http://127.0.0.1:8787
`;
  return [
    { path: `stacks/${o.stack}/tenant.yaml`, content: tenant },
    { path: `stacks/${o.stack}/grants/README.md`, content: grants },
    { path: `stacks/Pulumi.${o.stack}.yaml`, content: config },
  ];
}
