import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);

// src/astro/token.ts
function parseToken(token) {
  const payload = decodePayload(stripBearer(token));
  if (!payload) return {};
  const claims = {};
  const permissions = Array.isArray(payload.permissions) ? payload.permissions : [];
  for (const p of permissions) {
    if (typeof p !== "string") continue;
    const [kind, id] = splitOnce(p, ":");
    if (!id) continue;
    if (kind === "organizationId" && !claims.organizationId) claims.organizationId = id;
    if (kind === "workspaceId" && !claims.workspaceId) claims.workspaceId = id;
    if (kind === "deploymentId" && !claims.deploymentId) claims.deploymentId = id;
  }
  if (typeof payload.exp === "number" && Number.isFinite(payload.exp)) {
    claims.expiresAt = new Date(payload.exp * 1e3);
  }
  return claims;
}
function checkToken(token, now = /* @__PURE__ */ new Date()) {
  if (!stripBearer(token)) {
    throw new Error(
      "ASTRO_API_TOKEN is empty; set it to an Astro API token (Organization, Workspace or Deployment token)."
    );
  }
  const claims = parseToken(token);
  if (claims.expiresAt && claims.expiresAt.getTime() <= now.getTime()) {
    throw new Error(
      `ASTRO_API_TOKEN expired on ${claims.expiresAt.toISOString()}; create a new token in Astro and store it in the ASTRO_API_TOKEN secret.`
    );
  }
  return claims;
}
function maskToken(env, setSecret) {
  const given = env.ASTRO_API_TOKEN?.trim();
  if (!given) return;
  setSecret(given);
  const bare = stripBearer(given);
  if (bare) setSecret(bare);
}
function stripBearer(token) {
  return token.trim().replace(/^bearer(\s+|$)/i, "");
}
function decodePayload(token) {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return void 0;
  try {
    const json = Buffer.from(parts[1], "base64url").toString("utf8");
    const value = JSON.parse(json);
    return value && typeof value === "object" && !Array.isArray(value) ? value : void 0;
  } catch {
    return void 0;
  }
}
function splitOnce(text, sep) {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ""] : [text.slice(0, i), text.slice(i + 1)];
}

export {
  parseToken,
  checkToken,
  maskToken,
  stripBearer
};
