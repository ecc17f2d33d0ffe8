import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  require_tunnel
} from "./chunk-SPCJGJIN.js";
import {
  AstroApiError,
  DEFAULT_TIMEOUT_MS,
  NetworkError,
  parseJson,
  queryString,
  send
} from "./chunk-35VZ4DYC.js";
import {
  require_undici
} from "./chunk-EB4HQGDU.js";
import {
  DEPLOY_TYPES,
  buildsImage,
  finalizedShows,
  inputExcludesImage,
  inputIsBundle,
  isInside,
  joinRel,
  normalizeFolder,
  parseDuration
} from "./chunk-U5E27BD7.js";
import {
  checkToken,
  stripBearer
} from "./chunk-YLPVOD4M.js";
import {
  ACTION_VERSION,
  CLIENT_IDENTIFIER,
  clockOf,
  mayHaveActed,
  parseRetryAfter,
  policyOf,
  statusOf,
  withRetry
} from "./chunk-YBDEDHWX.js";
import {
  __toESM
} from "./chunk-NV5WPINZ.js";

// node_modules/@actions/core/lib/command.js
import * as os from "os";

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
import * as crypto from "crypto";
import * as fs from "fs";
import * as os2 from "os";
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (convertedValue.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${os2.EOL}${convertedValue}${os2.EOL}${delimiter}`;
}

// node_modules/@actions/core/lib/core.js
import * as os4 from "os";

// node_modules/@actions/http-client/lib/index.js
var tunnel = __toESM(require_tunnel(), 1);
var import_undici = __toESM(require_undici(), 1);
var HttpCodes;
(function(HttpCodes2) {
  HttpCodes2[HttpCodes2["OK"] = 200] = "OK";
  HttpCodes2[HttpCodes2["MultipleChoices"] = 300] = "MultipleChoices";
  HttpCodes2[HttpCodes2["MovedPermanently"] = 301] = "MovedPermanently";
  HttpCodes2[HttpCodes2["ResourceMoved"] = 302] = "ResourceMoved";
  HttpCodes2[HttpCodes2["SeeOther"] = 303] = "SeeOther";
  HttpCodes2[HttpCodes2["NotModified"] = 304] = "NotModified";
  HttpCodes2[HttpCodes2["UseProxy"] = 305] = "UseProxy";
  HttpCodes2[HttpCodes2["SwitchProxy"] = 306] = "SwitchProxy";
  HttpCodes2[HttpCodes2["TemporaryRedirect"] = 307] = "TemporaryRedirect";
  HttpCodes2[HttpCodes2["PermanentRedirect"] = 308] = "PermanentRedirect";
  HttpCodes2[HttpCodes2["BadRequest"] = 400] = "BadRequest";
  HttpCodes2[HttpCodes2["Unauthorized"] = 401] = "Unauthorized";
  HttpCodes2[HttpCodes2["PaymentRequired"] = 402] = "PaymentRequired";
  HttpCodes2[HttpCodes2["Forbidden"] = 403] = "Forbidden";
  HttpCodes2[HttpCodes2["NotFound"] = 404] = "NotFound";
  HttpCodes2[HttpCodes2["MethodNotAllowed"] = 405] = "MethodNotAllowed";
  HttpCodes2[HttpCodes2["NotAcceptable"] = 406] = "NotAcceptable";
  HttpCodes2[HttpCodes2["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
  HttpCodes2[HttpCodes2["RequestTimeout"] = 408] = "RequestTimeout";
  HttpCodes2[HttpCodes2["Conflict"] = 409] = "Conflict";
  HttpCodes2[HttpCodes2["Gone"] = 410] = "Gone";
  HttpCodes2[HttpCodes2["TooManyRequests"] = 429] = "TooManyRequests";
  HttpCodes2[HttpCodes2["InternalServerError"] = 500] = "InternalServerError";
  HttpCodes2[HttpCodes2["NotImplemented"] = 501] = "NotImplemented";
  HttpCodes2[HttpCodes2["BadGateway"] = 502] = "BadGateway";
  HttpCodes2[HttpCodes2["ServiceUnavailable"] = 503] = "ServiceUnavailable";
  HttpCodes2[HttpCodes2["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function(Headers2) {
  Headers2["Accept"] = "accept";
  Headers2["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function(MediaTypes2) {
  MediaTypes2["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
var HttpRedirectCodes = [
  HttpCodes.MovedPermanently,
  HttpCodes.ResourceMoved,
  HttpCodes.SeeOther,
  HttpCodes.TemporaryRedirect,
  HttpCodes.PermanentRedirect
];
var HttpResponseRetryCodes = [
  HttpCodes.BadGateway,
  HttpCodes.ServiceUnavailable,
  HttpCodes.GatewayTimeout
];

// node_modules/@actions/core/lib/summary.js
import { EOL as EOL3 } from "os";
import { constants, promises } from "fs";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, constants.R_OK | constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(EOL3);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var summary = _summary;

// node_modules/@actions/core/lib/platform.js
import os3 from "os";
var platform = os3.platform();
var arch = os3.arch();

// node_modules/@actions/core/lib/core.js
var __awaiter2 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function getInput(name, options) {
  const val = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
  if (options && options.required && !val) {
    throw new Error(`Input required and not supplied: ${name}`);
  }
  if (options && options.trimWhitespace === false) {
    return val;
  }
  return val.trim();
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function debug(message) {
  issueCommand("debug", {}, message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function notice(message, properties = {}) {
  issueCommand("notice", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os4.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}
function group(name, fn) {
  return __awaiter2(this, void 0, void 0, function* () {
    startGroup(name);
    let result;
    try {
      result = yield fn();
    } finally {
      endGroup();
    }
    return result;
  });
}
function saveState(name, value) {
  const filePath = process.env["GITHUB_STATE"] || "";
  if (filePath) {
    return issueFileCommand("STATE", prepareKeyValueMessage(name, value));
  }
  issueCommand("save-state", { name }, toCommandValue(value));
}

// src/astro/finalize.ts
function finalizeOnce(o) {
  const { deploymentId, deployId } = o;
  const landed = async () => {
    const current = await o.getDeploy(deploymentId, deployId);
    if (!finalizedShows(current)) return void 0;
    if (!carries(current, o.body)) {
      throw new Error(
        `Deploy ${deployId} of Deployment ${deploymentId} was finalized with another version than ours; check who else deploys to it.`
      );
    }
    o.log.info(`deploy ${deployId} was finalized by the earlier attempt; not finalizing it again`);
    return current;
  };
  return o.retrying(async (n) => {
    if (n === 1) return o.send();
    const before = await landed();
    if (before) return before;
    try {
      return await o.send();
    } catch (err) {
      if (!(err instanceof AstroApiError) || err.status < 400 || err.status >= 500) throw err;
      const after = await landed();
      if (after) return after;
      if (!o.body.dagTarballVersion && !o.body.bundleTarballVersion && /already finalized/i.test(err.serverMessage)) {
        o.log.info(
          `deploy ${deployId} was finalized by the earlier attempt (Astro refused a second finalize); not finalizing it again`
        );
        return o.getDeploy(deploymentId, deployId);
      }
      throw err;
    }
  });
}
function carries(deploy, body) {
  if (body.dagTarballVersion && deploy.dagTarballVersion !== body.dagTarballVersion) return false;
  if (body.bundleTarballVersion) {
    const v = body.bundleTarballVersion;
    return (deploy.bundles ?? []).some((b) => b.desiredVersion === v || b.currentVersion === v);
  }
  return true;
}

// src/astro/dag-bundles.ts
function v1alpha1Base(baseUrl) {
  return baseUrl.replace(/\/v1$/, "/v1alpha1");
}
function dagBundleCalls(p) {
  const base = v1alpha1Base(p.baseUrl);
  return {
    // A repeated create leaves an extra INITIALIZED deploy that is never finalized: harmless.
    createDagBundleDeploy: (deploymentId, body) => p.call({
      op: "createDagBundleDeploy",
      base,
      method: "POST",
      path: `${p.dep(deploymentId)}/deploys`,
      body,
      kind: "idempotent",
      context: p.ctx({ deploymentId })
    }),
    listDagBundles: (deploymentId) => p.listAll(
      {
        op: "listDagBundles",
        base,
        path: `${p.dep(deploymentId)}/bundles`,
        query: { isDagBundle: true },
        context: p.ctx({ deploymentId })
      },
      "bundles"
    )
  };
}

// src/astro/client.ts
async function createAstroClient(options) {
  const clock = clockOf(options);
  const claims = checkToken(options.token, new Date(clock.now()));
  const token = stripBearer(options.token);
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const policy = policyOf(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pageSize = Math.min(Math.max(options.pageSize ?? 1e3, 1), 1e3);
  const { log } = options;
  const headers = {
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
    accept: "application/json",
    "x-astro-client-identifier": CLIENT_IDENTIFIER,
    "x-astro-client-version": options.version ?? ACTION_VERSION,
    // Pin the minor version of the API we were written against.
    "x-api-version": "1.0",
    "user-agent": `${CLIENT_IDENTIFIER}/${options.version ?? ACTION_VERSION}`
  };
  async function once(c) {
    const url = `${c.base ?? baseUrl}${c.path}${queryString(c.query)}`;
    let reply;
    try {
      reply = await send({
        url,
        method: c.method,
        headers,
        body: c.body === void 0 ? void 0 : JSON.stringify(c.body),
        timeoutMs,
        dispatcher: options.dispatcher
      });
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      throw new AstroApiError({
        status: 0,
        serverMessage: err.message,
        code: err.code,
        method: c.method,
        path: c.path,
        operation: c.op,
        context: c.context
      });
    }
    const body = parseJson(reply.text);
    if (reply.status >= 200 && reply.status < 300) return body;
    const e = body ?? {};
    throw new AstroApiError({
      status: reply.status,
      serverMessage: typeof e.message === "string" ? e.message : reply.text.slice(0, 200),
      requestId: typeof e.requestId === "string" ? e.requestId : void 0,
      fieldErrors: Array.isArray(e.fieldErrors) ? e.fieldErrors : void 0,
      retryAfterMs: parseRetryAfter(reply.headers["retry-after"], clock.now()),
      method: c.method,
      path: c.path,
      operation: c.op,
      context: c.context
    });
  }
  function call(c, attempt) {
    return withRetry({
      label: `${c.method} ${c.path}`,
      kind: c.kind,
      policy,
      clock,
      log,
      attempt: attempt ?? (() => once(c)),
      exhausted: (err, n) => err instanceof AstroApiError ? err.withAttempts(n) : err
    });
  }
  async function listAll(c, key) {
    const items = [];
    for (let offset = 0; ; ) {
      const page = await call({
        ...c,
        method: "GET",
        kind: "safe",
        query: { ...c.query, offset, limit: pageSize }
      });
      const got = Array.isArray(page?.[key]) ? page[key] : [];
      items.push(...got);
      offset += got.length;
      const total = typeof page?.totalCount === "number" ? page.totalCount : 0;
      if (got.length === 0 || offset >= total) return items;
    }
  }
  async function listOrganizations() {
    return listAll(
      { op: "listOrganizations", path: "/organizations" },
      "organizations"
    );
  }
  const organizationId = options.organizationId ?? claims.organizationId ?? await onlyOrganization(await listOrganizations());
  const workspaceId = options.workspaceId ?? claims.workspaceId;
  const org = `/organizations/${enc(organizationId)}`;
  const dep = (id) => `${org}/deployments/${enc(id)}`;
  const ctx = (c = {}) => ({
    organizationId,
    ...c
  });
  const getDeploy = (deploymentId, deployId) => call({
    op: "getDeploy",
    method: "GET",
    path: `${dep(deploymentId)}/deploys/${enc(deployId)}`,
    kind: "safe",
    context: ctx({ deploymentId, deployId })
  });
  const listDeployments = (filter = {}) => listAll(
    {
      op: "listDeployments",
      path: `${org}/deployments`,
      query: {
        names: filter.names,
        deploymentIds: filter.deploymentIds,
        workspaceIds: filter.workspaceIds
      },
      context: ctx()
    },
    "deployments"
  );
  function deleteOnce(c) {
    let acted = false;
    return call(c, async () => {
      try {
        await once(c);
      } catch (err) {
        if (acted && statusOf(err) === 404) return;
        if (mayHaveActed(err)) acted = true;
        throw err;
      }
    });
  }
  return {
    baseUrl,
    organizationId,
    workspaceId,
    listOrganizations,
    listWorkspaces: (names) => listAll(
      { op: "listWorkspaces", path: `${org}/workspaces`, query: { names }, context: ctx() },
      "workspaces"
    ),
    listDeployments,
    getDeployment: (deploymentId) => call({
      op: "getDeployment",
      method: "GET",
      path: dep(deploymentId),
      kind: "safe",
      context: ctx({ deploymentId })
    }),
    createDeployment(body) {
      const c = {
        op: "createDeployment",
        method: "POST",
        path: `${org}/deployments`,
        body,
        kind: "idempotent",
        context: ctx({ workspaceId: body.workspaceId })
      };
      return call(c, async (n) => {
        if (n > 1) {
          const found = await listDeployments({
            names: [body.name],
            workspaceIds: [body.workspaceId]
          });
          const newest = found.filter((d) => d.name === body.name).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
          if (newest) {
            log.info(
              `Deployment ${body.name} was created by the earlier attempt (${newest.id}); not creating it again`
            );
            return newest;
          }
        }
        return once(c);
      });
    },
    updateDeployment: (deploymentId, body) => call({
      op: "updateDeployment",
      method: "POST",
      path: dep(deploymentId),
      body,
      kind: "idempotent",
      context: ctx({ deploymentId })
    }),
    deleteDeployment: (deploymentId) => deleteOnce({
      op: "deleteDeployment",
      method: "DELETE",
      path: dep(deploymentId),
      kind: "idempotent",
      context: ctx({ deploymentId })
    }),
    listDeploys: (deploymentId) => listAll(
      { op: "listDeploys", path: `${dep(deploymentId)}/deploys`, context: ctx({ deploymentId }) },
      "deploys"
    ),
    getDeploy,
    ...dagBundleCalls({ baseUrl, dep, ctx, call, listAll }),
    // A repeated create leaves an extra INITIALIZED deploy that is never finalized: harmless.
    createDeploy: (deploymentId, body) => call({
      op: "createDeploy",
      method: "POST",
      path: `${dep(deploymentId)}/deploys`,
      body,
      kind: "idempotent",
      context: ctx({ deploymentId })
    }),
    finalizeDeploy(deploymentId, deployId, body) {
      const c = {
        op: "finalizeDeploy",
        method: "POST",
        path: `${dep(deploymentId)}/deploys/${enc(deployId)}/finalize`,
        body,
        kind: "idempotent",
        context: ctx({ deploymentId, deployId })
      };
      return finalizeOnce({
        deploymentId,
        deployId,
        body,
        log,
        getDeploy,
        send: () => once(c),
        retrying: (attempt) => call(c, attempt)
      });
    },
    // Not repeated: a second rollback would be a second deploy in the history.
    rollbackDeploy: (deploymentId, deployId, body) => call({
      op: "rollbackDeploy",
      method: "POST",
      path: `${dep(deploymentId)}/deploys/${enc(deployId)}/rollback`,
      body,
      kind: "once",
      context: ctx({ deploymentId, deployId })
    }),
    setHibernationOverride: (deploymentId, body) => call({
      op: "setHibernationOverride",
      method: "POST",
      path: `${dep(deploymentId)}/hibernation-override`,
      body,
      kind: "idempotent",
      context: ctx({ deploymentId })
    }),
    deleteHibernationOverride: (deploymentId) => deleteOnce({
      op: "deleteHibernationOverride",
      method: "DELETE",
      path: `${dep(deploymentId)}/hibernation-override`,
      kind: "idempotent",
      context: ctx({ deploymentId })
    }),
    getDeploymentOptions: (deploymentId) => call({
      op: "getDeploymentOptions",
      method: "GET",
      path: `${org}/deployment-options`,
      query: { deploymentId },
      kind: "safe",
      context: ctx({ deploymentId })
    }),
    getOrganization: () => call({
      op: "getOrganization",
      method: "GET",
      path: org,
      kind: "safe",
      context: ctx()
    })
  };
}
function onlyOrganization(orgs) {
  if (orgs.length === 1) return orgs[0].id;
  if (orgs.length === 0) {
    throw new Error(
      "ASTRO_API_TOKEN names no organization and can see none; use an Organization, Workspace or Deployment API token."
    );
  }
  const names = orgs.map((o) => `${o.name} (${o.id})`).join(", ");
  throw new Error(
    `ASTRO_API_TOKEN can see several organizations (${names}); use an API token of the one organization to deploy to.`
  );
}
var enc = encodeURIComponent;

// src/inputs/settings.ts
import path from "node:path";

// src/astro/endpoint.ts
function resolveApiUrl({ input, env }) {
  const explicit = input?.trim() || env.ASTRO_API_URL?.trim();
  const label = input?.trim() ? "api-url" : "ASTRO_API_URL";
  if (explicit) return checkUrl(explicit.replace(/\/+$/, ""), label);
  return domainToApiUrl(env.ASTRO_DOMAIN?.trim() || "astronomer.io");
}
function domainToApiUrl(domain) {
  const d = domain.toLowerCase().replace(/^https?:\/\//, "").replace(/\/+$/, "").replace(/^cloud\./, "");
  if (d === "localhost") return "http://localhost:8888/v1";
  const pr = /^(pr\d+)\.(astronomer-dev\.io)$/.exec(d);
  if (pr) return `https://${pr[1]}.api.${pr[2]}/v1`;
  return `https://api.${d}/v1`;
}
function checkUrl(url, label) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `${label} "${url}" is not a URL; give the full base URL, e.g. https://api.astronomer.io/v1.`
    );
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new Error(
      `${label} "${url}" must start with https:// (or http:// for a local emulator).`
    );
  }
  if (!/\/v1$/.test(parsed.pathname)) {
    throw new Error(
      `${label} "${url}" does not end in /v1, the Astro API version this action speaks: set it to ${suggestV1(parsed)}.`
    );
  }
  return url;
}
function suggestV1(u) {
  const path2 = u.pathname.replace(/\/+$/, "");
  const version = /^(.*?)\/v\d+[a-z0-9]*(?=\/|$)/.exec(path2);
  return `${u.origin}${version ? version[1] : path2}/v1`;
}

// src/preview/overrides.ts
var describe = (v) => v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "a map" : `${typeof v} ${JSON.stringify(v)}`;
var str = (v, path2) => typeof v === "string" ? { value: v } : typeof v === "number" && Number.isFinite(v) ? { value: String(v) } : { error: `${path2} must be a string, not ${describe(v)}` };
var bool = (v, path2) => typeof v === "boolean" ? { value: v } : { error: `${path2} must be true or false, not ${describe(v)}` };
var int = (min, max = Number.MAX_SAFE_INTEGER) => (v, path2) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? { value: v } : {
  error: `${path2} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`}, not ${describe(v)}`
};
var oneOf = (values) => (v, path2) => {
  const up = typeof v === "string" ? v.trim().toUpperCase() : void 0;
  return up !== void 0 && values.includes(up) ? { value: up } : { error: `${path2} must be one of ${values.join(", ")}, not ${describe(v)}` };
};
var listOf = (item) => (v, path2) => {
  if (!Array.isArray(v)) return { error: `${path2} must be a list, not ${describe(v)}` };
  const out = [];
  for (const [i, x] of v.entries()) {
    const r = item(x, `${path2}[${i}]`);
    if (r.error) return r;
    out.push(r.value);
  }
  return { value: out };
};
var isMap = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var object = (fields, required = []) => (v, path2) => {
  if (!isMap(v)) return { error: `${path2} must be a map, not ${describe(v)}` };
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    const check = fields[k];
    if (!check) {
      return {
        error: `${path2} has an unknown field "${k}" (valid: ${Object.keys(fields).join(", ")})`
      };
    }
    const r = check(x, `${path2}.${k}`);
    if (r.error) return r;
    out[k] = r.value;
  }
  const missing = required.filter((k) => !(k in out));
  if (missing.length) return { error: `${path2} needs ${missing.join(", ")}` };
  return { value: out };
};
var ASTRO_MACHINES = ["A5", "A10", "A20", "A40", "A60", "A120", "A160"];
var workerQueue = object(
  {
    name: str,
    isDefault: bool,
    maxWorkerCount: int(1),
    minWorkerCount: int(0),
    workerConcurrency: int(1),
    astroMachine: oneOf(ASTRO_MACHINES),
    nodePoolId: str,
    podEphemeralStorage: str
  },
  ["name", "isDefault", "maxWorkerCount", "minWorkerCount", "workerConcurrency"]
);
var envVar = object({ key: str, isSecret: bool, value: str }, ["key"]);
var envVars = (v, path2) => {
  if (isMap(v)) {
    const out = [];
    for (const [key, raw] of Object.entries(v)) {
      const r2 = typeof raw === "boolean" ? { value: String(raw) } : str(raw, `${path2}.${key}`);
      if (r2.error) return r2;
      out.push({ key, isSecret: false, value: r2.value });
    }
    return { value: out };
  }
  const r = listOf(envVar)(v, path2);
  if (r.error) return r;
  return {
    value: r.value.map((e) => ({
      ...e,
      isSecret: e.isSecret ?? false
    }))
  };
};
var hibernationSchedule = object(
  { hibernateAtCron: str, wakeAtCron: str, isEnabled: bool, description: str },
  ["hibernateAtCron", "wakeAtCron", "isEnabled"]
);
var scalingSpec = object({
  hibernationSpec: object({
    schedules: listOf(hibernationSchedule),
    override: object({ isHibernating: bool, overrideUntil: str })
  })
});
var FIELDS = {
  type: oneOf(["DEDICATED", "HYBRID", "STANDARD"]),
  description: str,
  astroRuntimeVersion: str,
  executor: oneOf(["ASTRO", "CELERY", "KUBERNETES"]),
  cloudProvider: oneOf(["AWS", "AZURE", "GCP"]),
  region: str,
  clusterId: str,
  schedulerSize: oneOf(["SMALL", "MEDIUM", "LARGE", "EXTRA_LARGE"]),
  isHighAvailability: bool,
  isDevelopmentMode: bool,
  isDagDeployEnabled: bool,
  isCicdEnforced: bool,
  defaultTaskPodCpu: str,
  defaultTaskPodMemory: str,
  resourceQuotaCpu: str,
  resourceQuotaMemory: str,
  workerQueues: listOf(workerQueue),
  environmentVariables: envVars,
  contactEmails: listOf(str),
  workloadIdentity: str,
  taskPodNodePoolId: str,
  scheduler: object({ au: int(5, 24), replicas: int(1, 4) }, ["au", "replicas"]),
  scalingSpec
};
var OVERRIDE_FIELDS = Object.keys(FIELDS).sort();
var OWNED = {
  name: 'preview-overrides cannot set "name": use the preview-name input',
  workspaceId: `preview-overrides cannot set "workspaceId": a preview lives in its base Deployment's workspace`,
  remoteExecution: 'preview-overrides cannot set "remoteExecution": a preview is a Remote Execution Deployment exactly when its base is'
};
var NOT_A_MAP = "preview-overrides must be a YAML or JSON map of Deployment fields";
function checkOverrides(text, parseYaml) {
  if (text.trim() === "") return { overrides: {}, errors: [] };
  let doc;
  try {
    doc = parseYaml(text);
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split("\n")[0].replace(/:\s*$/, "");
    return { overrides: {}, errors: [`preview-overrides is not valid YAML or JSON: ${why}`] };
  }
  if (doc === null || doc === void 0) return { overrides: {}, errors: [] };
  if (!isMap(doc)) return { overrides: {}, errors: [`${NOT_A_MAP} (got ${describe(doc)})`] };
  const errors = [];
  const out = {};
  for (const [key, value] of Object.entries(doc)) {
    if (OWNED[key]) {
      errors.push(OWNED[key]);
      continue;
    }
    const check = FIELDS[key];
    if (!check) {
      errors.push(
        `preview-overrides has an unknown field "${key}"; valid fields: ${OVERRIDE_FIELDS.join(", ")}`
      );
      continue;
    }
    const r = check(value, `preview-overrides.${key}`);
    if (r.error) errors.push(r.error);
    else out[key] = r.value;
  }
  if (out.cloudProvider !== void 0 && out.region === void 0 && out.clusterId === void 0) {
    errors.push("preview-overrides sets cloudProvider without region: give both (or clusterId)");
  }
  return { overrides: errors.length ? {} : out, errors };
}
function parseOverrides(text, parseYaml) {
  const { overrides, errors } = checkOverrides(text, parseYaml);
  if (errors.length) throw new Error(errors.join("\n"));
  return overrides;
}

// src/inputs/combinations.ts
function combinationProblems(settings) {
  const out = [];
  for (const secret of settings.buildSecrets) {
    if (!/(^|,)id=[^,]+/.test(secret)) {
      out.push(
        `Input 'build-secrets' has '${secret.split(",")[0]}\u2026' without 'id=': write each secret as 'id=name,src=path' on its own line.`
      );
    }
  }
  if (settings.noDagsBaseDir && (settings.imageName || settings.deployType === "non-dags")) {
    out.push(
      `Input 'no-dags-base-dir' changes the DAG tarball, which ${settings.imageName ? "'image-name'" : "'deploy-type: non-dags'"} does not ship; remove one of them.`
    );
  }
  out.push(...sparseProblems(settings));
  out.push(...dagBundleProblems(settings));
  if (settings.imageName && inputExcludesImage(settings.deployType)) {
    out.push(
      `Input 'image-name' deploys an image; it cannot go with 'deploy-type: ${settings.deployType}'.`
    );
  }
  return out;
}
function dagBundleProblems(s) {
  const name = s.dagBundleName;
  if (!name) return [];
  if (s.imageName)
    return [
      `Input 'dag-bundle-name' ('${name}') deploys DAGs, but 'image-name' deploys only an image; remove one of them.`
    ];
  const why = {
    "image-only": "deploys no DAGs",
    dbt: "deploys a dbt project, not DAGs",
    "non-dags": "deploys a non-DAG bundle, not DAGs"
  };
  const reason = why[s.deployType];
  return reason ? [
    `Input 'dag-bundle-name' ('${name}') deploys DAGs to a named DAG bundle, but 'deploy-type: ${s.deployType}' ${reason}; remove one of them.`
  ] : [];
}
function sparseProblems(s) {
  if (s.sparseCheckout.length === 0) return [];
  const problems = [];
  const folders = [];
  for (const given of s.sparseCheckout) {
    const folder = normalizeFolder(given);
    if (/[*?[\]!\\]/.test(given) || folder === void 0 || folder === "") {
      problems.push(
        `Input 'sparse-checkout' has '${given}', which is not a folder inside the repository; cone-mode patterns are folders such as 'astro' or 'libs/common' (no wildcards or negations).`
      );
    } else folders.push(folder);
  }
  if (problems.length) return problems;
  s.sparseCheckout = folders;
  const needed = s.rootFolder !== "" ? { folder: s.rootFolder, what: "root-folder" } : inputIsBundle(s.deployType) ? void 0 : { folder: joinRel(s.rootFolder, s.dagsPath), what: "the DAG folder" };
  if (needed && !folders.some((f) => isInside(needed.folder, f))) {
    problems.push(
      `Input 'sparse-checkout' leaves ${needed.what} '${needed.folder}' out of the clone, so there would be nothing to deploy; add '${needed.folder}' (or a folder holding it) to it.`
    );
  }
  return problems;
}
function lines(text) {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}
function list(text) {
  return text.split(/[,\n]/).map((l) => l.trim()).filter(Boolean);
}

// src/inputs/settings-types.ts
var ACTIONS = [
  "deploy",
  "create-deployment-preview",
  "delete-deployment-preview",
  "deploy-deployment-preview",
  "preview",
  "rollback",
  "cleanup-previews"
];

// src/inputs/settings.ts
var SettingsError = class extends Error {
  constructor(problems) {
    super(problems.join("\n"));
    this.problems = problems;
    this.name = "SettingsError";
  }
  problems;
};
var TRUE = ["true", "yes", "on", "1"];
var FALSE = ["false", "no", "off", "0", ""];
var COMPAT_INPUTS = ["cli-version"];
function reader(input) {
  const problems = [];
  const get = (name) => input(name).trim();
  return {
    input,
    problems,
    notices: [],
    get,
    bool(name, fallback) {
      const v = get(name).toLowerCase();
      if (v === "") return fallback;
      if (TRUE.includes(v)) return true;
      if (FALSE.includes(v)) return false;
      problems.push(`Input '${name}' must be true or false, not '${get(name)}'.`);
      return fallback;
    },
    oneOf(name, valid, fallback) {
      const v = get(name) || fallback;
      if (valid.includes(v)) return v;
      problems.push(`Input '${name}' is '${v}'; use one of: ${valid.join(", ")}.`);
      return fallback;
    }
  };
}
async function loadSettings(input, env, options = {}) {
  const parseYaml = input("preview-overrides").trim() ? (await import("./chunk-IYQ7H3O3.js")).default.parse : void 0;
  return readSettings(input, env, { ...options, parseYaml });
}
function readSettings(input, env, options = {}) {
  const r = reader(input);
  const { get, bool: bool2, problems } = r;
  const action = r.oneOf("action", ACTIONS, "deploy");
  const firstType = r.oneOf("deploy-type", DEPLOY_TYPES, "infer");
  const { deploymentId, deploymentName } = readTarget(r);
  const { rootFolder, dagsPath } = readFolders(r);
  const waitMs = readWaitTime(r);
  const imageInput = get("image-name");
  const imageName = imageInput && imageInput !== "no-custom-image" ? imageInput : void 0;
  const deployType = readCompatInputs(r, firstType);
  const mountPath = readBundle(r, deployType);
  const previewOverrides = readOverrides(r, options.parseYaml);
  const checkoutSubmodules = readSubmodules(r);
  const { token, apiUrl } = readApi(r, env, options);
  const rollbackTo = readRollbackTo(r, action);
  const settings = {
    action,
    deploymentId,
    deploymentName,
    workspace: get("workspace") || void 0,
    rootFolder: rootFolder ?? "",
    deployType,
    dagsPath: dagsPath || "dags",
    parse: bool2("parse", false),
    pytest: bool2("pytest", false),
    pytestFile: get("pytest-file") || "tests/",
    force: bool2("force", false),
    imageName,
    buildSecrets: lines(input("build-secrets")),
    description: input("description") || void 0,
    previewName: get("preview-name") || void 0,
    copyConnections: bool2("copy-connections", true),
    copyVariables: bool2("copy-airflow-variables", true),
    copyPools: bool2("copy-pools", true),
    wakeOnDeploy: bool2("wake-on-deploy", false),
    waitMs: waitMs ?? 6e5,
    mountPath,
    bundleType: get("bundle-type") || void 0,
    imageTriggerPaths: list(input("image-trigger-paths")),
    bundleTriggerPaths: list(input("bundle-trigger-paths")),
    skipUnchanged: bool2("skip-unchanged", true),
    checkout: bool2("checkout", true),
    checkoutSubmodules,
    noDagsBaseDir: bool2("no-dags-base-dir", false),
    dagBundleName: get("dag-bundle-name") || void 0,
    sparseCheckout: list(input("sparse-checkout")),
    dryRun: bool2("dry-run", false),
    rollbackTo,
    previewOverrides,
    githubToken: get("github-token") || void 0,
    prComment: bool2("pr-comment", false),
    githubDeployments: bool2("github-deployments", true),
    apiUrl,
    token,
    checkoutDir: path.resolve(env.GITHUB_WORKSPACE || process.cwd()),
    notices: r.notices
  };
  problems.push(...combinationProblems(settings));
  if (problems.length) throw new SettingsError(problems);
  return settings;
}
function readTarget(r) {
  const deploymentId = r.get("deployment-id") || void 0;
  const deploymentName = r.get("deployment-name") || void 0;
  if (deploymentId && deploymentName) {
    r.problems.push(
      "Only one of 'deployment-id' or 'deployment-name' may be set; remove one of them."
    );
  } else if (!deploymentId && !deploymentName) {
    r.problems.push(
      "Set 'deployment-id' or 'deployment-name' to say which Deployment to deploy to (for preview actions: the base Deployment)."
    );
  }
  return { deploymentId, deploymentName };
}
function readFolders(r) {
  const rootFolder = normalizeFolder(r.get("root-folder"));
  if (rootFolder === void 0) {
    r.problems.push(
      `Input 'root-folder' ('${r.get("root-folder")}') points outside the repository; give a folder inside it, e.g. 'astro'.`
    );
  }
  const dagsPath = normalizeFolder(r.get("dags-path") || "dags");
  if (dagsPath === void 0 || dagsPath === "") {
    r.problems.push(
      `Input 'dags-path' ('${r.get("dags-path")}') must be a folder inside 'root-folder', e.g. 'dags'.`
    );
  }
  return { rootFolder, dagsPath };
}
function readRollbackTo(r, action) {
  const v = r.get("rollback-to");
  if (v && v !== "previous" && action !== "rollback") {
    r.problems.push(
      `Input 'rollback-to' is only for 'action: rollback', and this run's action is '${action}'; remove 'rollback-to' or set 'action: rollback'.`
    );
  }
  if (v === "" || v === "previous") return { kind: "previous" };
  if (/^[0-9a-f]{7,40}$/i.test(v)) return { kind: "commit", sha: v.toLowerCase() };
  if (/^[a-z0-9]{20,40}$/.test(v)) return { kind: "deploy", id: v };
  r.problems.push(
    `Input 'rollback-to' is '${v}', which is neither 'previous', a commit SHA (7 to 40 hex characters) nor an Astro deploy id (such as clvetru2w000201mowqwua63n); use one of those.`
  );
  return { kind: "previous" };
}
function readWaitTime(r) {
  const waitText = r.get("wait-time") || "10m";
  const waitMs = parseDuration(waitText);
  if (waitMs === void 0) {
    r.problems.push(
      `Input 'wait-time' ('${waitText}') is not a duration; write it like '300s', '5m' or '1h'.`
    );
  }
  return waitMs;
}
function readCompatInputs(r, deployType) {
  if (r.bool("deploy-image", false)) {
    if (deployType === "infer") {
      deployType = "image-and-dags";
      r.notices.push("'deploy-image: true' is read as 'deploy-type: image-and-dags'.");
    } else if (buildsImage(deployType)) {
      r.notices.push(`'deploy-image: true' adds nothing to 'deploy-type: ${deployType}'.`);
    } else {
      r.problems.push(
        `'deploy-image: true' asks for an image deploy, but 'deploy-type' is '${deployType}'; set only one of them.`
      );
    }
  }
  for (const name of COMPAT_INPUTS) {
    if (r.get(name))
      r.notices.push(`Input '${name}' has no effect here (no CLI is used); it is ignored.`);
  }
  return deployType;
}
function readBundle(r, deployType) {
  const mountPath = r.get("mount-path") || void 0;
  if (mountPath !== void 0 && !mountPath.startsWith("/")) {
    r.problems.push(
      `Input 'mount-path' ('${mountPath}') must be an absolute path, e.g. '/usr/local/airflow/dbt/my_project'.`
    );
  }
  if (deployType === "non-dags" && !mountPath) {
    r.problems.push(
      "'deploy-type: non-dags' needs 'mount-path': where the bundle is mounted in the Deployment."
    );
  }
  if (deployType === "non-dags" && !r.get("bundle-type")) {
    r.problems.push(
      "'deploy-type: non-dags' needs 'bundle-type': a label for the bundle, e.g. 'config'."
    );
  }
  return mountPath;
}
function readOverrides(r, parseYaml) {
  const overridesText = r.get("preview-overrides");
  if (!overridesText) return {};
  if (!parseYaml)
    throw new Error("preview-overrides is set but no YAML parser was given: use loadSettings.");
  try {
    return parseOverrides(overridesText, parseYaml);
  } catch (err) {
    r.problems.push(`Input 'preview-overrides': ${err.message}`);
    return {};
  }
}
function readSubmodules(r) {
  const submodules = r.get("checkout-submodules").toLowerCase();
  if (submodules === "recursive") return "recursive";
  if (TRUE.includes(submodules)) return true;
  if (!FALSE.includes(submodules)) {
    r.problems.push(
      `Input 'checkout-submodules' must be true, false or recursive, not '${submodules}'.`
    );
  }
  return false;
}
function readApi(r, env, options) {
  const token = stripBearer(env.ASTRO_API_TOKEN ?? "");
  if (!token && !options.tokenOptional) {
    r.problems.push(
      "ASTRO_API_TOKEN is not set; add `env: ASTRO_API_TOKEN: ${{ secrets.ASTRO_API_TOKEN }}` to the step (a Deployment, Workspace or Organization API token)."
    );
  }
  let apiUrl = "";
  try {
    apiUrl = resolveApiUrl({ input: r.get("api-url"), env });
  } catch (err) {
    const message = err.message;
    r.problems.push(r.get("api-url") ? `Input 'api-url': ${message}` : message);
  }
  return { token, apiUrl };
}

export {
  summary,
  setSecret,
  getInput,
  setOutput,
  setFailed,
  debug,
  error,
  warning,
  notice,
  info,
  group,
  saveState,
  createAstroClient,
  SettingsError,
  loadSettings
};
