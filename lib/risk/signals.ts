// The classifier's vocabulary as typed tables: which words mean what. Exported so the console can explain a
// classification; classify.ts holds the rules that combine them. Words are lowercase base forms (plurals and
// third-person forms are matched by tokenize.ts's `wordForms`).

/** What a verb does, before the objects it acts on refine it (`create` + `refund` is financial). */
export type Effect = "read" | "write" | "destructive" | "execute" | "communication" | "financial" | "access_control";

/** How much worse one effect is than another, to pick the strongest verb of `create_or_update`, `search_and_delete`. */
export const EFFECT_SEVERITY: Readonly<Record<Effect, number>> = {
  read: 0,
  write: 1,
  communication: 2,
  execute: 3,
  destructive: 4,
  access_control: 5,
  financial: 6,
};

/** Finishes "the name starts with X: ..." when a verb has no gloss of its own. */
export const EFFECT_GLOSS: Readonly<Record<Effect, string>> = {
  read: "it only reads",
  write: "it creates or changes data",
  destructive: "it removes data",
  execute: "it runs code or workflows",
  communication: "it sends something to people",
  financial: "it moves money",
  access_control: "it changes who may do what",
};

export interface VerbSignal {
  effect: Effect;
  gloss?: string;
  /** The verb has its effect only next to these objects (`transfer` + funds); otherwise `otherwise`. */
  onlyWith?: "money" | "access" | "heavy" | "running" | "infra" | "shared" | "membership" | "nomessage" | "nosession";
  otherwise?: Effect;
  /** Finishes the reason when the verb has its `otherwise` effect (`promote_build`), where the gloss would not fit. */
  otherwiseGloss?: string;
  /** Changes a running system in its `otherwise` meaning too: promoting a build puts it into use. */
  liveOtherwise?: boolean;
  /** Says little (`manage`, `handle`): a verb in the description is preferred. */
  vague?: boolean;
  /** Changes a running system or shared code (`deploy`, `merge`, `scale`): a write becomes High. */
  live?: boolean;
  /** Cannot be taken back (`purge`, `truncate`): a deletion becomes Critical. */
  irreversible?: boolean;
  /** A small, reversible change (`star`, `react`): a write becomes Low. */
  light?: boolean;
  /** Usually only touches the client's own session (`close` a tab, `resize` a window). */
  session?: boolean;
  /** Reaches an audience rather than one conversation (`publish`, `tweet`). */
  audience?: boolean;
  /** Reads, but can mint things: `generate` + key gives a credential, so objects refine it like a write. */
  mints?: boolean;
}

function verbs(words: readonly string[], signal: VerbSignal): Record<string, VerbSignal> {
  return Object.fromEntries(words.map((word) => [word, signal]));
}

export const VERBS: Readonly<Record<string, VerbSignal>> = {
  ...verbs(
    [
      "get", "list", "read", "search", "find", "fetch", "describe", "show", "view", "lookup", "look", "count", "check",
      "inspect", "analyze", "analyse", "summarize", "summarise", "download", "export", "browse", "tail", "diff",
      "explain", "validate", "verify", "preview", "resolve", "retrieve", "scan", "print", "echo", "peek",
      "compare", "calculate", "compute", "convert", "translate", "estimate", "simulate", "ping", "parse", "extract",
      "scrape", "crawl", "hover", "wait", "scroll", "focus", "think", "recall", "open", "query", "aggregate", "sample",
      "monitor", "audit", "grep", "cat", "ls", "lint", "review", "suggest", "recommend", "measure", "poll", "is",
      "has", "screenshot", "hget", "hgetall", "mget", "lrange", "smembers", "zrange", "render", "test", "detect",
      "identify", "classify", "forecast", "geocode", "locate", "debug", "diagnose", "troubleshoot", "discover",
      "explore", "examine", "enumerate", "visualize", "visualise", "plot", "rank", "rerank", "research", "investigate",
      "observe", "plan",
    ],
    { effect: "read" },
  ),
  navigate: { effect: "read", gloss: "it opens a page the agent picks" },
  capture: { effect: "financial", onlyWith: "money", otherwise: "read", gloss: "it collects a payment" },
  generate: { effect: "read", mints: true, gloss: "it produces output" },
  take: { effect: "read", mints: true, gloss: "it takes a copy or a screenshot" },

  ...verbs(
    [
      "create", "add", "insert", "update", "edit", "modify", "set", "put", "patch", "write", "save", "upload",
      "append", "upsert", "rename", "move", "copy", "duplicate", "import", "sync", "tag", "untag", "label", "comment",
      "assign", "unassign", "fork", "commit", "checkout", "init", "initialize", "register", "configure", "enable",
      "disable", "toggle", "cancel", "archive", "unarchive", "restore", "mark", "transition", "dismiss", "lock",
      "unlock", "schedule", "submit", "request", "approve", "reject", "accept", "decline", "complete", "finalize",
      "link", "replace", "fill", "type", "click", "press", "drag", "make", "record", "increment", "decrement",
      "expire", "hset", "lpush", "rpush", "sadd", "zadd", "mset", "connect", "disconnect", "change", "store",
      "remember", "annotate", "pull", "clone", "mount", "unmount", "reorder", "draft", "compose", "queue", "reopen",
      "revert", "enqueue", "mute", "unmute", "confirm", "unpublish", "reschedule", "rearrange",
    ],
    { effect: "write" },
  ),
  // Joining or leaving a team, an organization or a workspace is a membership; joining a chat channel is not.
  ...verbs(["join", "leave"], {
    effect: "access_control",
    onlyWith: "membership",
    otherwise: "write",
    gloss: "it makes someone a member or takes them out",
  }),
  ...verbs(["attach", "detach"], { effect: "access_control", onlyWith: "access", otherwise: "write" }),
  ...verbs(["rotate", "activate", "deactivate", "block", "unblock"], {
    effect: "access_control",
    onlyWith: "access",
    otherwise: "write",
  }),
  suspend: { effect: "access_control", onlyWith: "access", otherwise: "write", live: true },
  // Promoting a user makes them an admin; promoting a build or a deployment puts it into use where it runs.
  promote: {
    effect: "access_control",
    onlyWith: "access",
    otherwise: "write",
    live: true,
    liveOtherwise: true,
    otherwiseGloss: "it puts a build, a version or a replica into use where it runs",
  },
  transfer: { effect: "financial", onlyWith: "money", otherwise: "write" },
  ...verbs(["subscribe", "unsubscribe"], { effect: "financial", onlyWith: "money", otherwise: "write" }),
  push: { effect: "write", live: true, gloss: "it changes shared code" },
  // A pull request's or a remote branch's merge changes shared code; `git_merge` in a local clone does not.
  merge: { effect: "write", live: true, onlyWith: "shared", otherwise: "write", gloss: "it changes shared code" },
  ...verbs(
    [
      "apply", "rollout", "rollback", "scale", "migrate", "release", "failover", "cordon", "uncordon", "drain",
      "provision", "redeploy",
    ],
    { effect: "write", live: true, gloss: "it changes a running system" },
  ),
  // Starting or stopping changes a running system only when one is named (`restart_service`, `stop_instance`);
  // `start_trace` or `stop_recording` only starts or ends a recording.
  ...verbs(["restart", "reboot", "stop", "shutdown", "start", "pause", "resume"], {
    effect: "write",
    live: true,
    onlyWith: "running",
    otherwise: "write",
    gloss: "it changes a running system",
  }),
  ...verbs(
    [
      "star", "unstar", "react", "pin", "unpin", "bookmark", "favorite", "favourite", "unfavorite", "unwatch",
      "follow", "unfollow", "like", "upvote", "vote", "watch",
    ],
    { effect: "write", light: true, gloss: "a small, reversible change" },
  ),
  ...verbs(["close", "switch", "select", "disconnect", "reconnect", "emulate"], { effect: "write", session: true }),
  // Resizing a window is the client's own business; resizing a droplet or a cluster changes what runs.
  resize: { effect: "write", session: true, live: true, onlyWith: "infra", otherwise: "write", gloss: "it changes a running system" },
  ...verbs(["expose", "unexpose"], { effect: "write", live: true, onlyWith: "infra", otherwise: "write", gloss: "it opens a running service to outside traffic or closes it" }),
  connect: { effect: "write", session: true, gloss: "it opens a connection" },
  ...verbs(["login", "logout", "signin", "signout"], { effect: "write", session: true, gloss: "it signs the server in or out" }),
  ...verbs(["manage", "handle", "perform", "use", "operate", "control", "do"], {
    effect: "write",
    vague: true,
    gloss: "a verb that says little about the effect",
  }),

  ...verbs(["delete", "remove", "rm", "rmdir", "unlink", "erase", "prune", "evict", "discard", "del"], {
    effect: "destructive",
  }),
  // `trash_message`: a bin keeps what goes in it until it is emptied, so moving an item there can be undone.
  ...verbs(["trash", "untrash"], { effect: "write", gloss: "it moves an item into or out of the trash, where it can be restored" }),
  ...verbs(["clean", "cleanup", "empty", "uninstall", "deregister", "unregister", "teardown", "decommission"], { effect: "destructive" }),
  drop: { effect: "destructive", gloss: "it removes whole structures such as tables or collections" },
  terminate: { effect: "destructive", gloss: "it ends something for good" },
  kill: { effect: "destructive", gloss: "it stops a running process" },
  ...verbs(["destroy", "purge", "wipe", "truncate", "nuke", "expunge", "shred", "flushall", "flushdb", "obliterate"], {
    effect: "destructive",
    irreversible: true,
    gloss: "it erases data for good",
  }),
  ...verbs(["clear", "reset", "flush", "format"], {
    effect: "destructive",
    onlyWith: "heavy",
    otherwise: "write",
    gloss: "it erases what it is pointed at",
  }),

  ...verbs(["run", "exec", "execute", "invoke", "rerun", "retry", "spawn"], { effect: "execute" }),
  ...verbs(["eval", "evaluate"], { effect: "execute", gloss: "it runs code" }),
  call: { effect: "execute", gloss: "it calls another system on the agent's behalf" },
  ...verbs(["trigger", "dispatch"], { effect: "execute", gloss: "it starts a workflow or a job" }),
  // `launch_job` starts a job; `launch_browser` opens a browser for the agent's later calls.
  launch: {
    effect: "execute",
    gloss: "it starts a workflow or a job",
    onlyWith: "nosession",
    otherwise: "write",
    session: true,
    otherwiseGloss: "it opens a browser or a session for later calls",
  },
  deploy: { effect: "execute", gloss: "it ships code that will run" },
  install: { effect: "execute", gloss: "it installs software, which can run its own scripts" },
  ...verbs(["build", "compile"], { effect: "execute", gloss: "it runs build steps" }),
  interact: { effect: "execute", gloss: "it drives a running process" },

  ...verbs(["send", "reply", "forward", "notify", "post", "dm", "respond"], {
    effect: "communication",
  }),
  ...verbs(["publish", "broadcast", "tweet", "retweet", "announce"], {
    effect: "communication",
    audience: true,
    gloss: "it publishes to an audience",
  }),

  ...verbs(["pay", "charge", "refund", "payout", "withdraw", "deposit", "purchase", "buy", "bill", "void", "settle", "fund", "donate", "tip"], {
    effect: "financial",
  }),
  ...verbs(["sell", "trade", "swap"], { effect: "financial", gloss: "it trades assets" }),
  ...verbs(["stake", "unstake"], { effect: "financial", gloss: "it locks funds up or releases them" }),

  grant: { effect: "access_control", gloss: "it gives permissions" },
  revoke: { effect: "access_control", gloss: "it takes permissions away" },
  ...verbs(["authorize", "deauthorize", "impersonate", "assume", "elevate"], {
    effect: "access_control",
    gloss: "it acts on identities and permissions",
  }),
  ...verbs(["unshare", "invite"], { effect: "access_control", gloss: "it gives someone access" }),
  // `share_file` gives people access to a file; `share_post` puts a post in front of them.
  share: {
    effect: "access_control",
    gloss: "it gives someone access",
    onlyWith: "nomessage",
    otherwise: "communication",
    otherwiseGloss: "it puts a post or a message in front of people",
  },
  ...verbs(["ban", "unban", "kick"], { effect: "access_control", gloss: "it decides who may take part" }),
};

/**
 * Verbs that mean "say something" only when the object is a message (`create_message`), unlike `modify_email`, which
 * only files an email away.
 */
export const COMPOSING_VERBS: ReadonlySet<string> = new Set(["create", "add", "make", "compose", "write", "submit", "schedule", "queue"]);

/** Verbs that only say when another verb happens: `start_search` searches, so the next verb counts instead. */
export const AUXILIARY_VERBS: ReadonlySet<string> = new Set(["start", "stop", "begin", "end", "try"]);

/** Verbs that only descriptions use ("Returns the forecast"); in a name they would be ambiguous (`return_order`). */
export const DESCRIPTION_VERBS: Readonly<Record<string, VerbSignal>> = verbs(
  ["return", "provide", "display", "tell", "answer", "demonstrate", "give", "report", "solve"],
  { effect: "read" },
);

/** Two-word names whose meaning is not their verb's: a port forward opens a tunnel, it does not forward mail. */
export const NAME_PHRASES: Readonly<Record<string, VerbSignal>> = {
  // A forwarded port opens on the agent's machine only, and stopping it closes it again.
  "port forward": { effect: "write", gloss: "it opens a local network tunnel" },
  "go forward": { effect: "read", gloss: "it moves through the browser's history" },
  "go back": { effect: "read", gloss: "it moves through the browser's history" },
  "navigate forward": { effect: "read", gloss: "it moves through the browser's history" },
  "navigate back": { effect: "read", gloss: "it moves through the browser's history" },
  // `kick_off_pipeline` starts a run; `kick_member` alone removes someone.
  "kick off": { effect: "execute", gloss: "it starts a workflow or a job" },
  "forward port": { effect: "write", gloss: "it opens a local network tunnel" },
  "tear down": { effect: "destructive", gloss: "it removes what it names and everything in it" },
};

/** Verbs that run what they are given, which may be something that only reads (`run_report`, `execute_search`). */
export const READING_RUN_VERBS: ReadonlySet<string> = new Set(["run", "execute", "exec", "evaluate", "eval"]);

/** What running only reads: `run_report`, `run_lighthouse_audit`, `execute_search`, `run_health_check`. */
export const READ_RUN_OBJECTS: ReadonlySet<string> = new Set([
  "report", "reports", "audit", "audits", "search", "searches", "check", "checks", "healthcheck", "analysis", "analyses",
  "lint", "linter", "diagnostic", "diagnostics", "lookup", "lookups",
]);

/** Nouns that say a verbless name reports (`terminal_output`, `job_results`); in prose they say too little. */
export const NAME_REPORT_NOUNS: ReadonlySet<string> = new Set(["output", "outputs", "result", "results"]);

/** What a run, a build or a deploy leaves to report on: `build_status`, `run_logs`, `deploy_history`. */
export const RUN_REPORT_NOUNS: ReadonlySet<string> = new Set([
  "status", "log", "logs", "history", "info", "information", "details", "detail", "stats", "statistics", "metrics",
  "summary", "overview", "usage", "result", "results", "output", "outputs",
]);

/** Query languages that can only read: a query in one changes nothing (SQL, GraphQL and Cypher can write). */
export const READ_ONLY_QUERY_LANGUAGES: ReadonlySet<string> = new Set([
  "promql", "logql", "traceql", "metricsql", "kql", "kusto", "jql", "lucene", "esql", "jmespath", "jsonpath", "jq", "xpath",
]);

/** Records a `query_<records>` tool filters rather than runs statements on: `query_logs`, `query_traces`. */
export const QUERIED_RECORDS: ReadonlySet<string> = new Set([
  "log", "logs", "metric", "metrics", "event", "events", "trace", "traces", "span", "spans", "alert", "alerts", "error",
  "errors", "issue", "issues", "incident", "incidents",
]);

/** Words for a query or an expression, which such a language fills: `run_logql_query`. */
export const QUERY_NOUNS: ReadonlySet<string> = new Set(["query", "queries", "expression", "expressions", "filter", "filters", "search"]);

/** Verbs that look at a command or a script they are given, without running it: `explain_command`, `lint_script`. */
export const EXAMINING_VERBS: ReadonlySet<string> = new Set([
  "explain", "validate", "lint", "parse", "analyze", "analyse", "review", "verify", "summarize", "summarise",
]);

/** Words that, near `evaluate`, say what it evaluates is code in a running program: a debugger's frame, a REPL. */
export const EVALUATION_CONTEXT_WORDS: ReadonlySet<string> = new Set([
  "debugger", "debug", "frame", "runtime", "console", "process", "repl", "kernel", "interpreter", "function", "node",
]);

/** What `build` puts together as text and returns, rather than software it runs build steps for: `build_query`. */
export const BUILT_TEXT_NOUNS: ReadonlySet<string> = new Set([
  "query", "url", "uri", "link", "filter", "prompt", "payload", "string", "expression", "regex", "path", "search",
]);

/** What sends data on, as it comes, to an address it is given: a log drain, a sink, a forwarder. */
export const DATA_SINK_NOUNS: ReadonlySet<string> = new Set([
  "drain", "drains", "sink", "sinks", "forwarder", "forwarders", "exporter", "exporters",
]);

/** Words that, ending a name after its verb, say what it changes is who can see something: `make_file_public`. */
export const VISIBILITY_WORDS: ReadonlySet<string> = new Set(["public", "private", "publicly"]);

/** Verbs that, on text the tool is given, return a changed copy: `truncate_text`, `clean_html`, `format_json`. */
export const TRANSFORMING_VERBS: ReadonlySet<string> = new Set(["truncate", "clean", "cleanup", "remove", "strip", "trim", "format"]);

/** What such a verb works on when it is the tool's input: text and markup, or a part of an image. */
export const TEXT_OBJECT_NOUNS: ReadonlySet<string> = new Set([
  "text", "string", "strings", "html", "markdown", "json", "xml", "whitespace", "background", "duplicates", "punctuation",
  "accents", "stopwords", "formatting",
]);

/** A cache refills itself: purging one costs a slower request, not lost data. */
export const CACHE_NOUNS: ReadonlySet<string> = new Set(["cache", "caches", "cdn"]);

/** HTTP methods that generated API wrappers put after "api" (`API-post-search`, `API-patch-page`). */
export const HTTP_METHOD_VERBS: Readonly<Record<string, string>> = {
  get: "get",
  post: "create",
  put: "update",
  patch: "update",
  delete: "delete",
};

/** Objects that start running when created: creating a pipeline runs CI. */
export const RUNNABLE_NOUNS: ReadonlySet<string> = new Set(["pipeline", "build"]);

/** A one-word name like `add` says nothing of its object; these description words say it only computes. */
export const COMPUTE_WORDS: ReadonlySet<string> = new Set(["number", "numbers", "sum", "arithmetic", "math", "calculation"]);

/** Words that link verbs in one name: `create_or_update_file`, `search_and_replace`. */
export const VERB_JOINERS: ReadonlySet<string> = new Set(["or", "and"]);

/** Names without a verb: what their noun says the tool does (`git_status`, `shell`, `weather`). */
export const NOUN_ACTIONS: Readonly<Record<string, { effect: "read" | "execute"; gloss: string }>> = {
  ...Object.fromEntries(
    [
      "status", "log", "logs", "info", "information", "details", "detail", "history", "stats", "statistics", "metrics",
      "health", "version", "schema", "tree", "docs", "documentation", "weather", "forecast", "time", "snapshot",
      "screenshot", "top", "usage", "summary", "overview", "whoami", "thinking", "thought", "reasoning", "report",
      "definition", "inventory", "insights",
    ].map((word) => [word, { effect: "read" as const, gloss: "it reports information" }]),
  ),
  ...Object.fromEntries(
    ["shell", "bash", "terminal", "cmd", "powershell", "pwsh", "zsh", "sh"].map((word) => [
      word,
      { effect: "execute" as const, gloss: "it runs shell commands" },
    ]),
  ),
  ...Object.fromEntries(
    ["repl", "python", "javascript", "script", "sql", "notebook", "interpreter"].map((word) => [
      word,
      { effect: "execute" as const, gloss: "it runs code" },
    ]),
  ),
};

/** Objects that make an action financial. `moves`: acting on it moves money (Critical) rather than shaping billing. */
export const MONEY_NOUNS: Readonly<Record<string, { moves: boolean }>> = {
  ...Object.fromEntries(
    [
      "payment", "charge", "refund", "payout", "transfer", "funds", "fund", "money", "cash", "wire", "remittance",
      "withdrawal", "deposit", "purchase", "subscription", "paymentintent", "crypto",
    ].map((word) => [word, { moves: true }]),
  ),
  ...Object.fromEntries(
    [
      "invoice", "price", "pricing", "coupon", "discount", "promotion", "order", "checkout", "billing", "bill",
      "wallet", "bank", "ledger", "dispute", "tax", "currency", "balance", "payroll", "expense",
    ].map((word) => [word, { moves: false }]),
  ),
};

/** Words that, in a description, say money moves ("Sends funds to..."): fewer than MONEY_NOUNS, as prose is loose. */
export const DESCRIPTION_MONEY_WORDS: ReadonlySet<string> = new Set(["payment", "funds", "money", "refund", "payout"]);

/** Objects that make an action about access. `strong`: changing it changes permissions (Critical). */
export const ACCESS_NOUNS: Readonly<Record<string, { strong: boolean }>> = {
  ...Object.fromEntries(
    [
      "role", "policy", "permission", "privilege", "acl", "iam", "rolebinding", "clusterrole", "clusterrolebinding",
      "admin", "administrator", "ownership", "owner", "sudo", "sudoer", "mfa", "sso", "group", "access", "accesskey",
      "apikey", "member", "membership", "collaborator",
      // A mailbox's or an account's delegate acts as its owner (`add_delegate`).
      "delegate", "delegates", "delegation",
      // Security controls: changing one changes what anyone may do (`disable_branch_protection`).
      "protection", "encryption", "allowlist", "whitelist", "blocklist", "blacklist", "2fa", "twofactor", "bypass",
    ].map((word) => [word, { strong: true }]),
  ),
  ...Object.fromEntries(
    [
      "invitation", "credential", "password", "passwd", "login",
      // `create_share_link`, `update_sharing_settings`: a share is access given to someone.
      "share", "sharing", "invite",
      "serviceaccount", "visibility", "oauth", "saml",
      // A webhook's URL or token lets someone outside post in, or receive what happens.
      "webhook",
    ].map((word) => [word, { strong: false }]),
  ),
};

/** Access nouns that give access only when one is made: a new webhook's URL or token lets someone post in, while
 * renaming or deleting one changes nobody's access. */
export const CREATED_ACCESS_NOUNS: ReadonlySet<string> = new Set(["webhook", "webhooks"]);

/** Access nouns that only count after certain words: `access_key`, `api_token`, `service_account`. */
export const QUALIFIED_ACCESS_NOUNS: Readonly<Record<string, { after: readonly string[]; strong: boolean; notSecret?: boolean }>> = {
  key: { after: ["access", "api", "ssh", "gpg", "signing", "deploy", "private", "secret", "auth", "account", "service"], strong: true },
  token: { after: ["access", "api", "auth", "personal", "bearer", "refresh", "session", "bot", "oauth"], strong: true },
  account: { after: ["service"], strong: false },
  // `create_shared_link`, `create_public_link`: anyone holding the link gets in.
  link: { after: ["shared", "share", "sharing", "public", "invite", "invitation"], strong: false, notSecret: true },
};

/** Access nouns that, in a server about permissions, also count: an IAM `create_user` grants a new identity. */
export const PERMISSIONS_SERVER_ACCESS_NOUNS: Readonly<Record<string, { strong: boolean }>> = {
  user: { strong: false },
  key: { strong: true },
  account: { strong: false },
  profile: { strong: false },
  identity: { strong: false },
  principal: { strong: true },
};

/** A noun loses its meaning after these words: a `retention_policy` is not about access. */
export const NOUN_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = {
  policy: [
    "retention", "lifecycle", "backup", "scaling", "autoscaling", "retry", "cache", "caching", "naming", "deletion",
    "restart", "pull", "update", "alert", "alerting", "escalation", "notification", "routing", "placement", "eviction",
    "storage", "replication", "expiration", "archive", "privacy", "refund", "return",
  ],
  group: [
    "resource", "log", "node", "target", "consumer", "parameter", "subnet", "placement", "option", "cache",
    "autoscaling", "scaling", "instance", "tab", "capacity", "rule",
  ],
  subscription: ["notification", "webhook", "event", "topic", "push", "channel", "repository", "thread"],
  charge: ["battery"],
  order: ["sort", "display"],
  access: ["read", "fast"],
  owner: ["code"],
  stack: ["browser"],
  server: ["mock"],
};

/** Credentials that only a pair of words names: a `connection_string` carries the database's password. */
export const QUALIFIED_SENSITIVE_NOUNS: Readonly<Record<string, readonly string[]>> = {
  string: ["connection"],
  uri: ["connection", "database"],
  url: ["connection", "database"],
  dsn: [],
  // `list_service_variables`: a service's or a project's variables are its environment, secrets included.
  variable: ["environment", "service", "project", "deployment", "runtime", "app", "application", "function", "build", "shared", "global"],
  variables: ["environment", "service", "project", "deployment", "runtime", "app", "application", "function", "build", "shared", "global"],
  // `get_config_vars`: an app's config vars are its environment.
  var: ["config", "environment"],
  vars: ["config", "environment"],
};

/** What mutes alerts people rely on: creating a silence or a downtime means nobody is told. */
export const ALERT_MUTING_NOUNS: ReadonlySet<string> = new Set(["silence", "silences", "downtime", "downtimes"]);

/** Words before a description's verb-like word that make it a noun: "including labels", "the requests". */
export const NOUN_MARKERS: ReadonlySet<string> = new Set([
  "the", "a", "an", "its", "their", "your", "his", "her", "our", "of", "with", "for", "by", "from", "in", "on", "including",
  "any", "all", "some", "each", "every", "no", "these", "those", "this", "that", "which", "whose", "new", "existing",
]);

/** What, once on, sends mail to others by itself: `update_auto_forwarding`, `update_vacation(responder)`. Setting one
 * up or changing it is a message to whoever it will reach. */
export const STANDING_SENDERS: ReadonlySet<string> = new Set(["forwarding", "responder", "autoresponder", "autoreply"]);

/** Objects that make an action a message to people. `public`: it reaches an audience, not one chat. */
export const COMMUNICATION_NOUNS: Readonly<Record<string, { public: boolean }>> = {
  ...Object.fromEntries(
    [
      "message", "email", "mail", "sms", "mms", "dm", "chat", "notification", "reply", "fax", "voicemail", "whatsapp", "call",
      ...STANDING_SENDERS,
    ].map(
      (word) => [word, { public: false }],
    ),
  ),
  ...Object.fromEntries(
    ["tweet", "post", "newsletter", "campaign", "announcement", "broadcast", "toot"].map((word) => [word, { public: true }]),
  ),
};

/** In a messaging server these objects are conversations too. */
export const MESSAGING_SERVER_COMMUNICATION_NOUNS: ReadonlySet<string> = new Set(["thread", "conversation"]);

/** An object with one of these words is kept, not sent: `create_draft`, `save_template`. Newsletters, campaigns and
 * broadcasts are made first and sent by a tool of their own (`create_broadcast`, then `send_broadcast`). */
export const UNSENT_WORDS: ReadonlySet<string> = new Set(["draft", "template", "newsletter", "campaign", "broadcast"]);

/** Objects whose deletion is hard or impossible to undo: removing one is Critical. */
export const HEAVY_NOUNS: ReadonlySet<string> = new Set([
  "database", "db", "schema", "table", "collection", "keyspace", "repository", "repo", "bucket", "instance", "cluster",
  "namespace", "project", "account", "organization", "org", "tenant", "workspace", "volume", "disk", "drive",
  "partition", "environment", "stack", "vpc", "dataset", "zone", "domain", "backup", "snapshot", "server", "site",
  "app", "application", "data", "chart", "helm",
]);

/** Words that make an action apply to many things at once. */
export const BULK_WORDS: ReadonlySet<string> = new Set(["batch", "bulk", "many", "all", "multiple", "every", "mass", "everything", "entire"]);

/** Objects where changing or removing one is small and easy to undo. */
export const LIGHT_NOUNS: ReadonlySet<string> = new Set([
  "label", "tag", "reaction", "emoji", "star", "assignee", "reviewer", "bookmark", "pin", "highlight", "draft",
  "favorite", "favourite", "like", "vote",
]);

/** People a name can put in or out of a team: `add_user_to_team`. */
export const PERSON_NOUNS: ReadonlySet<string> = new Set(["user", "users", "person", "people", "guest", "guests"]);

/** What people are members of: joining or leaving one changes who belongs to it. */
export const MEMBERSHIP_NOUNS: ReadonlySet<string> = new Set(["team", "organization", "organisation", "org", "workspace", "tenant"]);

/** Objects that belong to the client's own session, not to shared data. */
export const SESSION_NOUNS: ReadonlySet<string> = new Set([
  "browser", "tab", "window", "viewport", "dialog", "popup", "modal", "page", "connection", "session",
]);

/** What a start or a stop only records: starting a trace changes nothing that runs. */
export const RECORDING_NOUNS: ReadonlySet<string> = new Set([
  "trace", "tracing", "screencast", "recording", "profiling", "profiler", "capture", "timer", "stopwatch", "codegen",
]);

/** What a password manager's reads return: its items, and the secrets in them. */
export const VAULT_ITEM_NOUNS: ReadonlySet<string> = new Set(["item", "vault", "login", "totp", "attachment", "note", "send", "secret", "password"]);

/** Words after a private noun that make the name about something else: `list_email_labels`, `mail_folders`. */
export const PRIVATE_READ_EXCEPTIONS: ReadonlySet<string> = new Set([
  "label", "labels", "folder", "folders", "setting", "settings", "template", "templates", "count", "stats", "rule", "rules",
  "point", "points", "type", "types", "property", "properties", "field", "fields", "schema", "schemas",
]);

/** Words before a message that make it a program's output, not a person's: `console_messages`, `log_message`. */
export const MACHINE_MESSAGE_WORDS: ReadonlySet<string> = new Set([
  "console", "log", "error", "commit", "status", "system", "debug", "pyroscope", "cpu", "memory", "heap", "performance",
]);

/** Things people are assigned to: a member added to a card is an assignee, not a grant of access. */
export const ASSIGNABLE_NOUNS: ReadonlySet<string> = new Set([
  "card", "issue", "task", "ticket", "item", "story", "todo", "checklist", "event", "pr", "merge", "pull",
]);

/** Prepositions after which a name names another object: `assign_member_to_card` is about the card. */
export const OBJECT_PREPOSITIONS: ReadonlySet<string> = new Set(["to", "from", "on", "in", "into"]);

/** Objects whose reading reads people's private messages or personal data. */
export const PRIVATE_READ_NOUNS: ReadonlySet<string> = new Set([
  "message", "email", "mail", "inbox", "dm", "chat", "sms", "profile", "contact", "voicemail",
]);

/** On a messaging server these are conversations too: reading them reads what people wrote. */
export const MESSAGING_PRIVATE_NOUNS: ReadonlySet<string> = new Set(["history", "thread", "replies", "reply", "conversation", "draft"]);

/** Objects whose merge changes shared code: `merge_pull_request`, `merge_branch`. */
export const SHARED_CODE_NOUNS: ReadonlySet<string> = new Set(["pull", "pr", "request", "mr", "branch", "branches"]);

/** Live configuration: changing it changes what users of a running product see at once. */
export const LIVE_CONFIG_NOUNS: ReadonlySet<string> = new Set(["flag", "featureflag", "targeting", "variation", "rollout", "experiment"]);

/** Running infrastructure: changing it affects live services, so a write is High. */
export const INFRA_NOUNS: ReadonlySet<string> = new Set([
  "instance", "cluster", "deployment", "service", "pod", "container", "node", "vm", "server", "function", "lambda",
  "dyno", "stack", "infrastructure", "infra", "database", "db", "replica", "replicaset", "statefulset", "daemonset",
  "workload", "machine", "droplet", "production", "prod", "dns", "firewall", "route", "ingress", "gateway", "kubectl",
  // A domain or a proxy routes the public's traffic to a running service.
  "domain", "proxy",
  "helm",
]);

/** Objects worth protecting when read. `strong`: reading one exposes a credential. `listed`: listing them shows
 * their values too (environment variables), not only their names. */
export const SENSITIVE_NOUNS: Readonly<Record<string, { strong: boolean; listed?: boolean }>> = {
  secret: { strong: true },
  password: { strong: true },
  passwd: { strong: true },
  credential: { strong: true },
  privatekey: { strong: true },
  apikey: { strong: true },
  env: { strong: true, listed: true },
  envvar: { strong: true, listed: true },
  dotenv: { strong: true, listed: true },
  // A kubeconfig carries the cluster's credentials (tokens, client keys) along with its address.
  kubeconfig: { strong: true },
  cookie: { strong: false },
  token: { strong: false },
};

/** A sensitive noun followed by one of these is about the secret, not the secret itself (`secret_scanning_alert`). */
export const SENSITIVE_EXCEPTIONS: ReadonlySet<string> = new Set([
  "scanning", "alert", "rotation", "policy", "count", "usage", "names", "metadata", "info", "status",
  "strength", "requirement", "requirements", "expiry", "expiration",
  // A token that has a price, a balance or holders is a coin, not a credential: `get_token_price`.
  "price", "prices", "balance", "balances", "supply", "holder", "holders", "market", "pair", "pairs", "chart",
]);

/** Phrases by which a list says it shows values too, not only names: "List secrets with their values". */
export const VALUE_PHRASES: readonly (readonly string[])[] = [
  ["with", "their", "values"],
  ["with", "values"],
  ["including", "their", "values"],
  ["including", "values"],
  ["names", "and", "values"],
];

/** Read verbs that list things rather than reveal them: listing secrets shows names, getting one shows its value. */
export const ENUMERATING_VERBS: ReadonlySet<string> = new Set(["list", "search", "count", "find", "describe", "check", "scan", "is", "has"]);

/** Words that mean a shell, in a name, an argument or a description. */
export const SHELL_WORDS: ReadonlySet<string> = new Set([
  "shell", "bash", "sh", "zsh", "terminal", "cmd", "command", "powershell", "pwsh", "subprocess", "commandline",
]);

/** Words that mean program code. */
export const CODE_WORDS: ReadonlySet<string> = new Set([
  "code", "script", "javascript", "js", "python", "py", "ruby", "repl", "notebook", "cell", "typescript", "perl", "php",
  "lua", "snippet", "program", "jupyter", "ipython", "deno", "eval",
]);

/** Words saying the code runs somewhere contained (a browser page, a WebAssembly sandbox), not on the host. */
export const SANDBOX_WORDS: ReadonlySet<string> = new Set([
  "sandbox", "sandboxed", "isolated", "pyodide", "wasm", "webassembly", "browser", "page", "playwright", "puppeteer", "tab",
  "iframe", "dom", "webpage",
]);

/** Words that mark SQL in a name or a description. */
export const SQL_WORDS: ReadonlySet<string> = new Set([
  "sql", "postgres", "postgresql", "mysql", "sqlite", "mssql", "mariadb", "bigquery", "snowflake", "clickhouse",
  "duckdb", "d1", "tsql", "plsql",
]);

/** Name words that say a tool runs statements rather than one fixed operation. */
export const STATEMENT_WORDS: ReadonlySet<string> = new Set(["query", "queries", "sql", "statement", "statements"]);

/** Phrases by which a SQL tool says it only reads. */
export const READ_ONLY_PHRASES: readonly (readonly string[])[] = [
  ["read", "only"],
  ["readonly"],
  ["select", "only"],
  ["only", "select"],
  ["select", "query"],
  ["select", "queries"],
  ["select", "statement"],
  ["select", "statements"],
  ["only", "read"],
  ["only", "reads"],
];

/** Phrases by which a description says its effect cannot be taken back. */
export const IRREVERSIBLE_PHRASES: readonly (readonly string[])[] = [
  ["cannot", "be", "undone"],
  ["can", "t", "be", "undone"],
  ["can", "not", "be", "undone"],
  ["irreversible"],
  ["irreversibly"],
  ["will", "be", "lost"],
  ["unrecoverable"],
  ["permanently", "deletes"],
  ["permanently", "delete"],
  ["permanently", "removes"],
  ["permanently", "remove"],
];

/** Phrases by which a description says, in so many words, that the call destroys data ("This is destructive"). */
export const DESTRUCTIVE_PHRASES: readonly (readonly string[])[] = [
  ["is", "destructive"],
  ["destructive", "operation"],
  ["destructive", "action"],
];

/** Description phrases that mean shell commands. */
export const SHELL_PHRASES: readonly (readonly string[])[] = [
  ["shell"], ["bash"], ["zsh"], ["terminal"], ["powershell"], ["subprocess"], ["command", "line"],
  // "command" alone is too loose ("This command can be referenced as", "slash commands"): it must be run.
  ...["run", "runs", "execute", "executes"].flatMap((verb) => [
    [verb, "command"], [verb, "commands"], [verb, "a", "command"], [verb, "any", "command"], [verb, "arbitrary", "commands"],
  ]),
  ["system", "command"], ["system", "commands"], ["arbitrary", "command"], ["arbitrary", "commands"], ["cli", "command"],
  ["cli", "commands"],
];

/** Verbs that, just before a word for code in a description, say the tool runs it ("evaluates JavaScript"). */
export const RUNNING_VERBS: ReadonlySet<string> = new Set([
  "run", "runs", "running", "execute", "executes", "executing", "evaluate", "evaluates", "evaluating", "eval", "inject", "injects",
]);

/** Words before `code` in an argument's name that make it code to run (`sourceCode`); any other (`inviteCode`,
 * `countryCode`) makes it an identifier. */
export const CODE_ARGUMENT_QUALIFIERS: ReadonlySet<string> = new Set([
  "source", "js", "javascript", "python", "py", "ts", "typescript", "program", "function", "snippet", "custom", "user", "init", "test", "script",
]);

/** Words in a `query` argument's description that say it is search text or a non-SQL filter, not a statement. */
export const SEARCH_QUERY_WORDS: ReadonlySet<string> = new Set([
  "search", "keyword", "keywords", "text", "filter", "lucene", "promql", "logql", "traceql", "kql", "cql", "phrase",
  "term", "terms", "natural", "question", "expression", "pattern", "regex", "glob",
]);

/** Words in an argument's description that say it takes a SQL statement. */
export const SQL_DESCRIPTION_WORDS: ReadonlySet<string> = new Set([
  "sql", "statement", "statements", "select", "insert", "update", "delete", "ddl", "dml", "tsql", "plsql",
]);

/** What an argument lets the caller do, keyed by the last word of its name (`shell_command`, `recipient_email`). */
export type ArgumentRole =
  | "shell"
  | "script"
  | "code"
  | "sql"
  | "query"
  | "url"
  | "path"
  | "money"
  | "recipient"
  | "address"
  | "access"
  | "force";

export const ARGUMENT_ROLES: Readonly<Record<string, ArgumentRole>> = {
  command: "shell",
  cmd: "shell",
  shell: "shell",
  bash: "shell",
  commandline: "shell",
  script: "script",
  code: "code",
  javascript: "code",
  python: "code",
  sql: "sql",
  statement: "sql",
  query: "query",
  url: "url",
  uri: "url",
  endpoint: "url",
  href: "url",
  path: "path",
  file: "path",
  filepath: "path",
  filename: "path",
  directory: "path",
  dir: "path",
  folder: "path",
  amount: "money",
  price: "money",
  currency: "money",
  to: "recipient",
  recipient: "recipient",
  cc: "recipient",
  bcc: "recipient",
  email: "address",
  phone: "address",
  policy: "access",
  role: "access",
  permission: "access",
  principal: "access",
  member: "access",
  acl: "access",
  privilege: "access",
  scope: "access",
  recursive: "force",
  force: "force",
  cascade: "force",
  purge: "force",
};

/** Trailing words that say how an argument is spelled, not what it is: `commandLine`, `policy_document`. */
export const ARGUMENT_SUFFIXES: ReadonlySet<string> = new Set([
  "line", "text", "string", "str", "list", "array", "address", "addresses", "number", "numbers", "document", "json", "arn",
]);

/** Words before the role word that change its meaning: a `subCommand` picks an operation, it is not a shell line. */
export const ARGUMENT_ROLE_EXCEPTIONS: Readonly<Partial<Record<ArgumentRole, readonly string[]>>> = {
  shell: ["sub", "slash", "voice"],
  path: ["url", "api", "json", "xpath"],
};

/** Roles that need free-form text: an argument limited by `enum` or `const` cannot carry a command or a URL. */
export const FREE_FORM_ROLES: ReadonlySet<ArgumentRole> = new Set(["shell", "script", "code", "sql", "query", "url", "path", "recipient", "address"]);

/** What each argument role says, finishing "argument `x` ...". */
export const ARGUMENT_GLOSS: Readonly<Record<ArgumentRole, string>> = {
  shell: "takes a shell command",
  script: "takes a script to run",
  code: "takes code to run",
  sql: "takes a SQL statement",
  query: "takes a SQL statement",
  url: "lets the agent reach any address",
  path: "lets the agent choose which file or path it acts on",
  money: "takes a sum of money",
  recipient: "names who receives it",
  address: "takes an address to write to",
  access: "takes permissions or the identity they apply to",
  force: "can widen it to everything below or skip safeguards",
};

/** Domains a server can be about, recognised from its name, description and sibling tools. */
export type ServerDomain = "payments" | "permissions" | "messaging" | "database" | "secrets" | "codehost";

export interface ServerDomainSignal {
  /** Finishes "the server ...". */
  gloss: string;
  /** Words in the server's name or description that say so at once. */
  words: readonly string[];
  /** Words that, found in the names of at least two sibling tools, say so too. */
  siblingWords: readonly string[];
  /**
   * Looked for after a registry name's namespace only: every `io.github.someone/...` server is published on GitHub,
   * which says nothing of what it does.
   */
  notInNamespace?: boolean;
}

export const SERVER_DOMAINS: Readonly<Record<ServerDomain, ServerDomainSignal>> = {
  payments: {
    gloss: "handles payments",
    words: [
      "stripe", "paypal", "square", "braintree", "adyen", "payment", "payments", "billing", "invoicing",
      "refund", "wallet", "bank", "banking", "coinbase", "plaid", "finance", "financial",
      "crypto", "razorpay", "mollie", "klarna", "chargebee", "recurly", "agentkit",
    ],
    siblingWords: ["payment", "refund", "charge", "payout", "invoice", "subscription", "transfer", "balance", "coupon", "dispute"],
  },
  permissions: {
    gloss: "manages permissions",
    words: ["iam", "identity", "permission", "permissions", "rbac", "okta", "auth0", "keycloak", "entra", "sso", "ldap"],
    siblingWords: ["role", "policy", "permission", "iam", "group", "rolebinding", "clusterrole", "privilege", "acl"],
  },
  messaging: {
    gloss: "delivers messages",
    words: [
      "slack", "discord", "gmail", "email", "mail", "outlook", "telegram", "whatsapp", "twilio", "sms",
      "sendgrid", "mailgun", "mailchimp", "resend", "postmark", "mattermost", "zulip", "messaging", "intercom",
    ],
    siblingWords: ["message", "email", "mail", "channel", "sms", "thread", "dm", "conversation", "inbox"],
  },
  database: {
    gloss: "runs a database",
    words: [
      "postgres", "postgresql", "mysql", "sqlite", "mongodb", "mongo", "redis", "sql", "database", "db", "supabase",
      "neon", "bigquery", "snowflake", "clickhouse", "dynamodb", "oracle", "mssql", "mariadb", "duckdb", "d1",
    ],
    siblingWords: ["sql", "database", "postgres", "mysql", "sqlite"],
  },
  secrets: {
    gloss: "keeps secrets",
    words: ["bitwarden", "vault", "infisical", "1password", "onepassword", "keepass", "lastpass", "doppler", "keychain", "secrets"],
    siblingWords: ["secret", "secrets"],
  },
  codehost: {
    gloss: "hosts shared code",
    words: ["github", "gitlab", "bitbucket", "gitea", "codeberg", "forgejo", "gitee"],
    siblingWords: [],
    notInNamespace: true,
  },
};

/** Domains that only the server's own name or description can establish: a sibling named `get_org_subscription`
 * does not make a password manager a payments server. */
export const NAMED_ONLY_DOMAINS: ReadonlySet<ServerDomain> = new Set(["payments", "permissions", "secrets", "codehost"]);

/** Files and commits: written on a code host, they land in a shared branch at once (`create_or_update_file`). */
export const COMMITTED_NOUNS: ReadonlySet<string> = new Set(["file", "files", "content", "contents", "commit", "commits"]);

/** How many sibling tools must mention a domain before the server counts as being about it. */
export const SIBLING_DOMAIN_THRESHOLD = 2;
