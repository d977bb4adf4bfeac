import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

// Constructing the pack starts the analyzer's gRPC server: this file holds nothing else, and no test imports it.
new PolicyPack("pim-safe-defaults", { policies: allPolicies });
