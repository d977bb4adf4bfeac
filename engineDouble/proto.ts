/**
 * The gRPC pieces the engine double speaks, loaded from the copies the installed `@pulumi/pulumi` ships (the SDK's
 * own generated stubs and its `@grpc/grpc-js`), so the double and the SDK agree on every message byte for byte.
 * One home for these requires: the rest of the double imports from here.
 */
import type * as GrpcJs from "@grpc/grpc-js";
import type * as ResourcePb from "@pulumi/pulumi/proto/resource_pb";
import type * as EnginePb from "@pulumi/pulumi/proto/engine_pb";
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb";
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as PluginPb from "@pulumi/pulumi/proto/plugin_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";

export const grpc = require("@grpc/grpc-js") as typeof GrpcJs;
export const resourceProto = require("@pulumi/pulumi/proto/resource_pb") as typeof ResourcePb;
export const engineProto = require("@pulumi/pulumi/proto/engine_pb") as typeof EnginePb;
export const providerProto = require("@pulumi/pulumi/proto/provider_pb") as typeof ProviderPb;
export const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb") as typeof AnalyzerPb;
export const pluginProto = require("@pulumi/pulumi/proto/plugin_pb") as typeof PluginPb;
export const structProto = require("google-protobuf/google/protobuf/struct_pb") as typeof StructPb;
export const emptyProto = require("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPb;

/** The generated service definitions and clients (their typings are loose: `grpc.ServiceDefinition`). */
export const resourceRpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
export const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
export const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
export const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");

/** JSON-like values as they travel in a `google.protobuf.Struct`. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function toStruct(value: object): StructPb.Struct {
  return structProto.Struct.fromJavaScript(value as Record<string, StructPb.JavaScriptValue>);
}

export function fromStruct(s: StructPb.Struct | undefined): JsonObject {
  return (s?.toJavaScript() ?? {}) as JsonObject;
}

/** Calls a unary method of a grpc-js client and resolves with its response. */
export function unary<Res>(client: GrpcJs.Client, method: string, request: unknown): Promise<Res> {
  // A generated client's methods are named at run time (`client.check(...)`), so they are looked up by name.
  const fn = (client as unknown as Record<string, UnaryMethod<Res>>)[method];
  if (typeof fn !== "function") return Promise.reject(new Error(`the client has no method ${method}`));
  return new Promise((resolve, reject) =>
    fn.call(client, request, (err, res) => (err ? reject(err) : resolve(res as Res))),
  );
}

type UnaryMethod<Res> = (request: unknown, callback: (err: Error | null, res?: Res) => void) => void;

/** Binds a grpc-js server on 127.0.0.1 at a free port; resolves with "127.0.0.1:<port>". */
export function bindLocal(server: GrpcJs.Server): Promise<string> {
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(`127.0.0.1:${port}`),
    ),
  );
}
