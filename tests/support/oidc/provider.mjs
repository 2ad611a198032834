// A real OpenID Connect provider (the oidc-provider package) for schoolsafe's tests, on
// loopback only. Started by tests/support/oidc.py as:
//   node provider.mjs <settings.json>
// settings: {port, issuer, clients: [{client_id, client_secret, redirect_uris}], accounts}
// An account: {email, email_verified, amr, acr, disabled}. Its key is what the test types
// on the provider's login page (no password: this provider is for tests).
//
// POST /_control (JSON) changes behaviour for the next sign-ins, where the provider itself
// can't be asked to misbehave: {accounts}, {skew: seconds} (the provider's clock runs wrong,
// so its tokens come out already expired), {tamper: "audience" | "signature" | null} (the ID
// token in the token response is re-signed for another audience with the provider's own key,
// or signed with a key the provider never published).
// Each start makes a new signing key with a new key id: restarting the provider is how a test
// rotates its keys.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import Provider, { interactionPolicy } from "oidc-provider";
import { CompactSign, decodeProtectedHeader, exportJWK, generateKeyPair } from "jose";

const settings = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const state = { accounts: settings.accounts || {}, skew: 0, tamper: null };

const realNow = Date.now;
Date.now = () => realNow() + state.skew * 1000;

async function signingKey(kid) {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" } };
}
const kid = `test-key-${crypto.randomUUID().slice(0, 8)}`;
const real = await signingKey(kid);
const stranger = await signingKey(kid); // same kid, never published

function account(id) {
  const found = state.accounts[id];
  if (!found) return undefined;
  return {
    accountId: id,
    async claims() {
      const claims = { sub: id, name: found.name || id };
      if (found.email) claims.email = found.email;
      if (found.email_verified !== undefined) claims.email_verified = found.email_verified;
      return claims;
    },
  };
}

// A session already open here no longer counts once its account is switched off: the person
// must sign in again (and is refused), and a silent request (prompt=none) gets login_required,
// as Entra ID and Google answer for a disabled account.
const policy = interactionPolicy.base();
policy.get("login").checks.add(new interactionPolicy.Check(
  "account_disabled", "The account is switched off", (ctx) => {
    const id = ctx.oidc.session.accountId;
    const found = id && state.accounts[id];
    return id && (!found || found.disabled)
      ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
  }));

const provider = new Provider(settings.issuer, {
  clients: settings.clients.map((c) => ({
    ...c, grant_types: ["authorization_code"], response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  })),
  jwks: { keys: [real.jwk] },
  cookies: { keys: ["test-only-cookie-key"] },
  // acr and amr with every ID token, as Entra ID sends amr.
  claims: {
    openid: ["sub", "acr", "amr", "auth_time"], email: ["email", "email_verified"],
    profile: ["name"],
  },
  // Short-lived ID tokens, so a clock skew of ten minutes makes them expired on arrival.
  ttl: {
    AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 3600, Session: 86400,
    Grant: 86400,
  },
  conformIdTokenClaims: false, // as Entra ID and Google do: email in the ID token itself
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (ctx, id) => account(id),
  // First-party test clients: consent is taken as given.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

async function tamper(idToken) {
  const [, body] = idToken.split(".");
  const claims = JSON.parse(Buffer.from(body, "base64url").toString());
  let key = real.privateKey;
  if (state.tamper === "audience") claims.aud = "some-other-application";
  if (state.tamper === "signature") key = stranger.privateKey;
  const header = decodeProtectedHeader(idToken);
  return new CompactSign(Buffer.from(JSON.stringify(claims)))
    .setProtectedHeader({ alg: header.alg, kid: header.kid, typ: header.typ })
    .sign(key);
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === "/token" && state.tamper && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token) };
  }
});

function page(res, html, status = 200) {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="en"><title>Test provider</title><body>${html}</body></html>`);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === "GET") {
    return page(res, `<h1>Test provider sign-in</h1>
      <form method="post" action="/interaction/${uid}">
      <label for="login">Username</label> <input id="login" name="login" autofocus>
      <button type="submit">Sign in to the provider</button></form>`);
  }
  const login = new URLSearchParams(await readBody(req)).get("login") || "";
  const found = state.accounts[login];
  if (!found) return page(res, "<h1>No such account</h1>", 400);
  const result = found.disabled
    ? { error: "access_denied", error_description: "This account is disabled." }
    : { login: { accountId: login, ...(found.amr ? { amr: found.amr } : {}),
                 ...(found.acr ? { acr: found.acr } : {}) } };
  void details;
  return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

async function control(req, res) {
  const change = JSON.parse((await readBody(req)) || "{}");
  for (const key of ["accounts", "skew", "tamper"]) {
    if (key in change) state[key] = change[key];
  }
  res.writeHead(204);
  res.end();
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const path = new URL(req.url, settings.issuer).pathname;
  const match = path.match(/^\/interaction\/([^/]+)$/);
  const handled = match ? interaction(req, res, match[1])
    : path === "/_control" && req.method === "POST" ? control(req, res) : null;
  if (handled) {
    handled.catch((error) => page(res, `<h1>Provider error</h1><pre>${error}</pre>`, 500));
    return;
  }
  callback(req, res);
});
server.listen(settings.port, "127.0.0.1", () => console.log(`listening on ${settings.port}`));
