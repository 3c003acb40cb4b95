import { z } from "zod";
import { defineOperation } from "@/lib/api/operation";
import * as s from "@/lib/api/schemas";

// The management API, one entry per route. app/api/**/route.ts mounts each with apiRoute().

export const getHealth = defineOperation({
  id: "getHealth",
  method: "GET",
  path: "/api/health",
  summary: "Health of the app and its database",
  tag: "System",
  auth: "public",
  responses: {
    200: { description: "The app and its database are up.", schema: s.healthResponseSchema },
    503: { description: "The database cannot be reached.", schema: s.healthResponseSchema },
  },
});

export const getOpenApi = defineOperation({
  id: "getOpenApi",
  method: "GET",
  path: "/api/v1/openapi.json",
  summary: "This document",
  tag: "System",
  auth: "public",
  responses: { 200: { description: "The OpenAPI 3.1 description of the management API." } },
});

export const signUp = defineOperation({
  id: "signUp",
  method: "POST",
  path: "/api/v1/signup",
  summary: "Create an account and its workspace",
  description: "Passwords need at least 8 characters (up to 128) and must not be a commonly used password.",
  tag: "Accounts",
  auth: "public",
  body: s.signUpBodySchema,
  responses: {
    201: { description: "The account and the workspace it owns.", schema: s.signUpResponseSchema },
    409: { description: "That email already has an account." },
  },
});

export const getMe = defineOperation({
  id: "getMe",
  method: "GET",
  path: "/api/v1/me",
  summary: "The signed-in user and their workspace",
  tag: "Accounts",
  auth: "caller",
  responses: { 200: { description: "Who is calling.", schema: s.meResponseSchema } },
});

export const listTokens = defineOperation({
  id: "listTokens",
  method: "GET",
  path: "/api/v1/tokens",
  summary: "List your personal access tokens",
  tag: "Personal access tokens",
  auth: "caller",
  responses: {
    200: { description: "Your tokens, newest first, revoked ones included.", schema: z.object({ tokens: z.array(s.tokenSchema) }) },
  },
});

export const createToken = defineOperation({
  id: "createToken",
  method: "POST",
  path: "/api/v1/tokens",
  summary: "Create a personal access token",
  description: "The token is returned once, in this response. Only its SHA-256 digest is stored.",
  tag: "Personal access tokens",
  auth: "caller",
  body: s.createTokenBodySchema,
  responses: { 201: { description: "The new token, with its secret value.", schema: s.createdTokenSchema } },
});

export const revokeToken = defineOperation({
  id: "revokeToken",
  method: "DELETE",
  path: "/api/v1/tokens/{id}",
  summary: "Revoke a personal access token",
  description: "The token stops working at once. Revoking an already revoked token changes nothing.",
  tag: "Personal access tokens",
  auth: "caller",
  params: s.tokenIdParamsSchema,
  responses: { 200: { description: "The revoked token.", schema: s.tokenSchema } },
});

export const operations = [getHealth, getOpenApi, signUp, getMe, listTokens, createToken, revokeToken];
