// zod compiles object parsers with `new Function` when it may, and probing for that breaks the server's CSP (no
// 'unsafe-eval'): the caught EvalError is still reported as a violation. Its global config is read from this global
// when zod loads, so this module must be imported before anything that imports the contracts.
Object.assign(globalThis, { __zod_globalConfig: { jitless: true } });
