// Seed section `conditionalAccess`: authentication contexts and Conditional Access policies, written with
// names (UPNs, group names, role names) and stored in Graph's v1.0 read shape with every collection Graph
// always returns. Built-in authentication strengths are named, not spelled out.
import { z } from "zod";
import { isGuid, stableGuid } from "./ids";
import type { AuthenticationContext, ConditionalAccessPolicy, EmulatorState } from "./state";

const ref = z.string().min(1);

/**
 * Built-in authentication strengths (authenticationStrengthPolicy, policyType builtIn): ids and allowed
 * combinations as the authentication-strengths documentation lists them.
 */
const STRENGTHS = {
  multifactor: {
    id: "00000000-0000-0000-0000-000000000002",
    displayName: "Multifactor authentication",
    description: "Combinations of methods that satisfy strong authentication, such as a password + SMS",
    allowedCombinations: [
      "windowsHelloForBusiness",
      "fido2",
      "x509CertificateMultiFactor",
      "deviceBasedPush",
      "temporaryAccessPassOneTime",
      "temporaryAccessPassMultiUse",
      "password,microsoftAuthenticatorPush",
      "password,softwareOath",
      "password,hardwareOath",
      "password,sms",
      "password,voice",
      "federatedMultiFactor",
      "microsoftAuthenticatorPush,federatedSingleFactor",
      "softwareOath,federatedSingleFactor",
      "hardwareOath,federatedSingleFactor",
      "sms,federatedSingleFactor",
      "voice,federatedSingleFactor",
    ],
  },
  passwordless: {
    id: "00000000-0000-0000-0000-000000000003",
    displayName: "Passwordless MFA",
    description:
      "Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator",
    allowedCombinations: [
      "windowsHelloForBusiness",
      "fido2",
      "x509CertificateMultiFactor",
      "deviceBasedPush",
    ],
  },
  phishingResistant: {
    id: "00000000-0000-0000-0000-000000000004",
    displayName: "Phishing-resistant MFA",
    description:
      "Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key",
    allowedCombinations: ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
  },
} as const;

/** Values of `includeUsers` that are keywords, not user ids (conditionalAccessUsers resource). */
const USER_KEYWORDS = ["All", "None", "GuestsOrExternalUsers"];
const APP_KEYWORDS = ["All", "None", "Office365", "MicrosoftAdminPortals"];
const CONTEXT_ID = /^c([1-9]|[1-9][0-9])$/;

export const authenticationContextSeed = z
  .object({
    id: z.string().regex(CONTEXT_ID, "must be c1 … c99"),
    displayName: z.string().min(1),
    description: z.string().nullable().optional(),
    /** Published for apps to use (Graph's default is false; a context PIM requires is published). */
    isAvailable: z.boolean().default(true),
  })
  .strict();

export const conditionalAccessPolicySeed = z
  .object({
    displayName: z.string().min(1),
    id: z.string().refine(isGuid, "must be a GUID").optional(),
    state: z.enum(["enabled", "disabled", "enabledForReportingButNotEnforced"]),
    users: z
      .object({
        /** `All`, `None`, `GuestsOrExternalUsers`, or users by UPN / object id. */
        include: z.array(ref).default(["All"]),
        exclude: z.array(ref).default([]),
        includeGroups: z.array(ref).default([]),
        excludeGroups: z.array(ref).default([]),
        /** Role display names or template ids. */
        includeRoles: z.array(ref).default([]),
        excludeRoles: z.array(ref).default([]),
      })
      .strict()
      .default({
        include: ["All"],
        exclude: [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
      }),
    applications: z
      .object({
        /** `All`, `None`, `Office365`, `MicrosoftAdminPortals` or app ids. Default: All, or none with contexts. */
        include: z.array(ref).optional(),
        exclude: z.array(ref).default([]),
        /** Authentication context ids this policy enforces (c1 …). */
        authenticationContexts: z.array(z.string().regex(CONTEXT_ID, "must be c1 … c99")).default([]),
        userActions: z
          .array(z.enum(["urn:user:registersecurityinfo", "urn:user:registerdevice"]))
          .default([]),
      })
      .strict()
      .optional(),
    clientAppTypes: z
      .array(
        z.enum([
          "all",
          "browser",
          "mobileAppsAndDesktopClients",
          "exchangeActiveSync",
          "easSupported",
          "other",
        ]),
      )
      .default(["all"]),
    grant: z
      .object({
        operator: z.enum(["AND", "OR"]).default("OR"),
        builtInControls: z
          .array(
            z.enum([
              "block",
              "mfa",
              "compliantDevice",
              "domainJoinedDevice",
              "approvedApplication",
              "compliantApplication",
              "passwordChange",
            ]),
          )
          .default([]),
        authenticationStrength: z.enum(["multifactor", "passwordless", "phishingResistant"]).optional(),
      })
      .strict()
      .optional(),
    created: z.string().optional(),
  })
  .strict();

export const conditionalAccessSeed = z
  .object({
    authenticationContexts: z.array(authenticationContextSeed).default([]),
    policies: z.array(conditionalAccessPolicySeed).default([]),
  })
  .strict();

export type ConditionalAccessSeed = z.output<typeof conditionalAccessSeed>;

/** How the seed builder resolves names: each returns the object id or records a problem. */
export interface SeedResolvers {
  user(ref: string, label: string): string;
  group(ref: string, label: string): string;
  role(ref: string, label: string): string;
  /** An ISO instant or a relative duration, as the rest of the seed. */
  when(value: string, label: string): string;
}

export function addConditionalAccess(
  state: EmulatorState,
  seed: ConditionalAccessSeed,
  r: SeedResolvers,
  nowIso: string,
  problems: string[],
): void {
  for (const c of seed.authenticationContexts) {
    const ctx: AuthenticationContext = {
      id: c.id,
      displayName: c.displayName,
      description: c.description ?? null,
      isAvailable: c.isAvailable,
    };
    state.authenticationContexts.set(c.id, ctx);
  }
  for (const [i, p] of seed.policies.entries()) {
    const label = `conditionalAccess.policies[${i}]`;
    const contexts = p.applications?.authenticationContexts ?? [];
    for (const c of contexts)
      if (!state.authenticationContexts.has(c))
        problems.push(
          `${label}.applications.authenticationContexts: '${c}' is not in conditionalAccess.authenticationContexts`,
        );
    const users = p.users;
    const id = (p.id ?? stableGuid(`${state.tenant.id}:ca:${p.displayName}`)).toLowerCase();
    const strength = p.grant?.authenticationStrength ? STRENGTHS[p.grant.authenticationStrength] : null;
    const policy: ConditionalAccessPolicy = {
      id,
      templateId: null,
      displayName: p.displayName,
      createdDateTime: p.created ? r.when(p.created, `${label}.created`) : nowIso,
      modifiedDateTime: null,
      state: p.state,
      sessionControls: null,
      conditions: {
        userRiskLevels: [],
        signInRiskLevels: [],
        servicePrincipalRiskLevels: [],
        clientAppTypes: p.clientAppTypes,
        platforms: null,
        locations: null,
        devices: null,
        clientApplications: null,
        applications: {
          includeApplications: p.applications?.include ?? (contexts.length ? [] : ["All"]),
          excludeApplications: p.applications?.exclude ?? [],
          includeUserActions: p.applications?.userActions ?? [],
          includeAuthenticationContextClassReferences: contexts,
          applicationFilter: null,
        },
        users: {
          includeUsers: users.include.map((u, j) =>
            USER_KEYWORDS.includes(u) ? u : r.user(u, `${label}.users.include[${j}]`),
          ),
          excludeUsers: users.exclude.map((u, j) =>
            USER_KEYWORDS.includes(u) ? u : r.user(u, `${label}.users.exclude[${j}]`),
          ),
          includeGroups: users.includeGroups.map((g, j) => r.group(g, `${label}.users.includeGroups[${j}]`)),
          excludeGroups: users.excludeGroups.map((g, j) => r.group(g, `${label}.users.excludeGroups[${j}]`)),
          includeRoles: users.includeRoles.map((x, j) => r.role(x, `${label}.users.includeRoles[${j}]`)),
          excludeRoles: users.excludeRoles.map((x, j) => r.role(x, `${label}.users.excludeRoles[${j}]`)),
          includeGuestsOrExternalUsers: null,
          excludeGuestsOrExternalUsers: null,
        },
      },
      grantControls: p.grant
        ? {
            operator: p.grant.operator,
            builtInControls: p.grant.builtInControls,
            customAuthenticationFactors: [],
            termsOfUse: [],
            authenticationStrength: strength
              ? {
                  id: strength.id,
                  displayName: strength.displayName,
                  description: strength.description,
                  policyType: "builtIn",
                  requirementsSatisfied: "mfa",
                  allowedCombinations: [...strength.allowedCombinations],
                }
              : null,
          }
        : null,
    };
    for (const a of policy.conditions.applications.includeApplications)
      if (!APP_KEYWORDS.includes(a) && !isGuid(a))
        problems.push(
          `${label}.applications.include: '${a}' is neither ${APP_KEYWORDS.join(", ")} nor an app id`,
        );
    state.conditionalAccessPolicies.set(id, policy);
  }
}
