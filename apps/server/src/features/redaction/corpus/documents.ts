import { nearMiss } from './near-misses';
import { fill, paragraph, sentence } from './prose';
import { ALPHANUMERIC, DIGITS, HEX, LOWER, type SeededRandom } from './random';
import {
  base64Blob,
  decimal,
  duration,
  email,
  hex,
  hostname,
  instant,
  integer,
  ipAddress,
  isoTimestamp,
  maskedCard,
  money,
  orderNumber,
  person,
  phoneNumber,
  productCode,
  providerId,
  snowflake,
  timestamp,
  trackingNumber,
  uint64Decimal,
  ulid,
  uuidV4,
  uuidV7,
  version,
} from './values';

/** URLs with ports, '@' in paths and user names, but no password: what the url_password detector must leave. */
function url(r: SeededRandom): string {
  const host = hostname(r);
  return r.pick([
    () => `https://${host}/v1/${r.pick(['runs', 'orders', 'items'])}/${uuidV4(r)}?page=${r.int(1, 40)}&limit=50`,
    () => `http://${host}:${r.int(1024, 65535)}/api/health`,
    () => `http://${host}:8080/path@x`,
    () => `https://medium.com/@${r.string(8, LOWER)}/${r.string(10, LOWER)}-${r.string(12, HEX)}`,
    () => `https://unpkg.com/react@${r.int(16, 19)}.${r.int(0, 3)}.${r.int(0, 9)}/umd/react.production.min.js`,
    () => `https://registry.npmjs.org/@${r.pick(['acme', 'types'])}%2f${r.string(6, LOWER)}`,
    () => `https://www.google.com/maps/@${decimal(r)},15z`,
    () => `https://example.com/a:b@c/${r.string(6, LOWER)}`,
    () => `https://${r.pick(['bob', 'deploy', 'ci'])}@${host}/profile`,
    () => `postgres://${r.pick(['app', 'postgres', 'readonly'])}@${host}:5432/${r.pick(['app', 'analytics'])}`,
    () => `postgres://app:\${DB_PASSWORD}@${host}:5432/app`,
    () => `postgres://$DB_USER:$DB_PASSWORD@$DB_HOST:5432/app`,
    () => `postgresql://scott:***@${host}/test`,
    () => `redis://${host}:6379/${r.int(0, 15)}`,
    () => `amqp://${host}:5672/%2F`,
    () => `mongodb+srv://${r.string(8, LOWER)}.${r.string(5, LOWER)}.mongodb.net/?retryWrites=true&w=majority`,
    () => `jdbc:postgresql://${host}:5432/app?user=app&ssl=true`,
    () => `ssh://git@github.com:22/acme/${r.string(8, LOWER)}.git`,
    () => `git@github.com:acme/${r.string(8, LOWER)}.git`,
    () => `s3://${r.string(10, LOWER)}/${isoTimestamp(r).slice(0, 10)}/${uuidV4(r)}.parquet`,
    () => `file:///home/${r.string(6, LOWER)}/notes.txt`,
    () => `http://[2001:db8::${r.int(1, 9999).toString(16)}]:${r.int(1024, 65535)}/`,
    () => `https://x.com/${r.string(8, LOWER)}/status/${snowflake(r)}`,
    () => `https://cdn.example.com/img/${hex(r, 40)}.png?v=${instant(r)}`,
    () => `https://${host}/v1/models?tokenizer=cl100k_base&max_tokens=${r.int(16, 4096)}`,
    () => `https://${host}/search?q=password+reset&page=${r.int(1, 9)}`,
    () => `https://${host}/reset?token={{token}}&next=%2Fsettings`,
  ])();
}

// --- JSON ---------------------------------------------------------------------------------------------------

function orderJson(r: SeededRandom): unknown {
  return {
    id: orderNumber(r),
    uuid: uuidV7(r),
    created_at: isoTimestamp(r),
    customer: { name: person(r), email: email(r), phone: phoneNumber(r) },
    items: Array.from({ length: r.int(1, 4) }, () => ({
      sku: productCode(r),
      quantity: r.int(1, 5),
      price: money(r),
    })),
    payment: { method: 'card', card: maskedCard(r), amount_cents: Number(integer(r)), currency: 'EUR' },
    shipping: { carrier: r.pick(['UPS', 'FedEx', 'USPS', 'DHL']), tracking: trackingNumber(r) },
  };
}

function spanJson(r: SeededRandom): unknown {
  const start = instant(r);
  return {
    traceId: hex(r, 32),
    spanId: hex(r, 16),
    parentSpanId: hex(r, 16),
    name: r.pick(['chat gpt-4o-mini', 'POST /v1/messages', 'retrieve', 'tool.call search']),
    startTimeUnixNano: `${start}${r.string(6, DIGITS)}`,
    endTimeUnixNano: `${start + r.int(5, 9000)}${r.string(6, DIGITS)}`,
    attributes: {
      'gen_ai.request.model': r.pick(['gpt-4o-2024-08-06', 'claude-3-5-sonnet-20241022', 'gemini-1.5-pro-002']),
      'gen_ai.response.id': providerId(r),
      'gen_ai.usage.input_tokens': r.int(10, 20000),
      'http.url': url(r),
      'dd.trace_id': uint64Decimal(r),
    },
  };
}

function chatCompletionJson(r: SeededRandom): unknown {
  return {
    id: providerId(r),
    object: 'chat.completion',
    created: Math.floor(instant(r) / 1000),
    model: r.pick(['gpt-4o-mini-2024-07-18', 'claude-3-haiku-20240307', 'llama-3.1-70b-versatile']),
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: paragraph(r),
          tool_calls: r.chance(0.4)
            ? [
                {
                  id: `call_${r.string(24, ALPHANUMERIC)}`,
                  type: 'function',
                  function: {
                    name: r.pick(['lookup_order', 'track_parcel', 'refund']),
                    arguments: JSON.stringify({ order_id: orderNumber(r), tracking: trackingNumber(r) }),
                  },
                },
              ]
            : undefined,
        },
        finish_reason: r.pick(['stop', 'tool_calls', 'length']),
      },
    ],
    usage: { prompt_tokens: r.int(10, 9000), completion_tokens: r.int(1, 2000), total_tokens: r.int(20, 11000) },
    system_fingerprint: `fp_${r.string(10, HEX)}`,
  };
}

function webhookJson(r: SeededRandom): unknown {
  return {
    id: providerId(r),
    type: r.pick(['charge.succeeded', 'invoice.paid', 'payment_intent.created']),
    created: Math.floor(instant(r) / 1000),
    data: {
      object: {
        id: providerId(r),
        amount: Number(money(r).replace(/\D/g, '').slice(0, 9)) || 100,
        payment_method_details: {
          card: { brand: 'visa', last4: r.string(4, DIGITS), exp_month: r.int(1, 12), exp_year: r.int(2025, 2032) },
        },
        billing_details: { name: person(r), phone: phoneNumber(r), address: { postal_code: r.string(5, DIGITS) } },
      },
    },
    oauth: { token_type: 'Bearer', expires_in: 3600, scope: 'read write' },
  };
}

function embeddingJson(r: SeededRandom): unknown {
  return {
    object: 'embedding',
    model: 'text-embedding-3-small',
    embedding: Array.from({ length: r.int(16, 96) }, () => Number(((r.float() - 0.5) / 10).toPrecision(r.int(8, 17)))),
    ids: Array.from({ length: 4 }, () => snowflake(r)),
  };
}

function jsonDocument(r: SeededRandom): string {
  const value = r.pick([orderJson, spanJson, chatCompletionJson, webhookJson, embeddingJson])(r);
  return JSON.stringify(value, null, r.pick([0, 2]));
}

// --- Logs ---------------------------------------------------------------------------------------------------

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.207 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  'python-requests/2.31.0',
  'openai-node/4.52.7',
  'curl/8.7.1',
];

function logLine(r: SeededRandom): string {
  const at = instant(r);
  const path = r.pick([
    '/v1/executions',
    '/api/v1/runs',
    '/healthz',
    '/v1/chat/completions',
    `/orders/${orderNumber(r)}`,
  ]);
  return r.pick([
    () =>
      `${ipAddress(r)} - - ${timestamp(r, at)} "${r.pick(['GET', 'POST'])} ${path} HTTP/1.1" ${r.pick([200, 201, 204, 400, 401, 404, 502])} ${integer(r)} "-" "${r.pick(USER_AGENTS)}"`,
    () =>
      JSON.stringify({
        level: r.pick([30, 40, 50]),
        time: at,
        pid: r.int(1, 65000),
        hostname: `${r.string(8, LOWER)}-${r.string(5, LOWER)}`,
        reqId: `req-${r.string(6, ALPHANUMERIC)}`,
        msg: sentence(r),
        responseTime: Number(r.logNormal(40, 1.5).toFixed(3)),
      }),
    () =>
      `${isoTimestamp(r, at)} ${r.pick(['INFO', 'WARN', 'ERROR', 'DEBUG'])} [${r.pick(['ingest', 'worker', 'http'])}] ${sentence(r)}`,
    () =>
      `${timestamp(r, at)} ${r.string(6, LOWER)} kernel: [${(r.float() * 99999).toFixed(6)}] eth0: link up, ${r.pick([100, 1000, 10000])} Mbps`,
    () => `trace_id=${hex(r, 32)} span_id=${hex(r, 16)} duration=${duration(r)} status=ok`,
    () => `dd.trace_id=${uint64Decimal(r)} dd.span_id=${uint64Decimal(r)} service=api env=prod version=${version(r)}`,
    () =>
      `    at ${r.pick(['Object.<anonymous>', 'processTicksAndRejections', 'async Promise.all'])} (/app/src/${r.string(6, LOWER)}.ts:${r.int(1, 900)}:${r.int(1, 80)})`,
    () => `  File "/usr/lib/python3.12/site-packages/httpx/_client.py", line ${r.int(1, 2000)}, in send`,
    () => `connecting to ${url(r)} (attempt ${r.int(1, 5)}/5, timeout ${duration(r)})`,
    () =>
      `GET ${path} HTTP/1.1\\r\\nHost: ${hostname(r)}\\r\\nAuthorization: Bearer ${r.pick(['***', '<token>', '[REDACTED]', '…'])}\\r\\nUser-Agent: ${r.pick(USER_AGENTS)}`,
    () =>
      `WWW-Authenticate: Bearer realm="${hostname(r)}", error="invalid_token", error_description="The access token expired"`,
    () => `auth: missing Bearer token for ${path} from ${ipAddress(r)}`,
    () =>
      `k8s event: Pod ${r.string(8, LOWER)}-${r.string(10, LOWER)}-${r.string(5, LOWER)} Started container on node ip-${ipAddress(r).replaceAll('.', '-')}`,
    () =>
      `slow query (${duration(r)}): SELECT * FROM executions WHERE project_id = '${uuidV7(r)}' AND created_at > ${at}`,
    () => `shipment ${trackingNumber(r)} for order ${orderNumber(r)} handed to carrier at ${timestamp(r, at)}`,
    () => `sms to ${phoneNumber(r)} queued, id ${ulid(r, at)}`,
  ])();
}

function logDocument(r: SeededRandom): string {
  return Array.from({ length: r.int(5, 60) }, () => logLine(r)).join('\n');
}

// --- CSV ----------------------------------------------------------------------------------------------------

function csvDocument(r: SeededRandom): string {
  const rows = ['id,created_at,customer,phone,email,amount,currency,card,tracking,product,note'];
  for (let i = r.int(5, 80); i > 0; i--) {
    rows.push(
      [
        r.chance(0.5) ? uuidV4(r) : String(r.int(1, 9999999)),
        timestamp(r),
        person(r),
        phoneNumber(r),
        email(r),
        money(r).replace(',', ''),
        r.pick(['EUR', 'USD', 'GBP', 'JPY']),
        maskedCard(r),
        trackingNumber(r),
        productCode(r),
        JSON.stringify(sentence(r)),
      ].join(','),
    );
  }
  return rows.join('\n');
}

// --- Code ---------------------------------------------------------------------------------------------------

const CODE = [
  `const response = await fetch(\`\${BASE_URL}/v1/chat/completions\`, {
  method: 'POST',
  headers: { Authorization: \`Bearer \${process.env.OPENAI_API_KEY}\`, 'Content-Type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4o-mini', messages, temperature: {decimal}, max_tokens: {number} }),
});
if (!response.ok) throw new Error(\`request {id} failed: \${response.status}\`);`,
  `headers.set('Authorization', 'Bearer ' + token);
const auth = \`Bearer \${await getAccessToken({ scopes: ['read'] })}\`;
if (!header?.startsWith('Bearer ')) throw new UnauthorizedError('expected a Bearer token');
const [scheme, credentials] = header.split(' ');`,
  `const sql = postgres(\`postgres://\${user}:\${password}@\${host}:5432/\${database}\`, { max: 10 });
const rows = await sql\`select id, created_at from executions where created_at > \${since} limit 50\`;`,
  `import requests
from sklearn.model_selection import train_test_split  # scikit-learn, once called sk-learn

headers = {"Authorization": f"Bearer {token}", "User-Agent": "acme-bot/{version}"}
resp = requests.get(f"{BASE}/api/items/{item_id}", headers=headers, timeout=30)
engine = create_engine(os.environ["DATABASE_URL"], pool_size=10)
print(f"took {elapsed:.3f}s for {len(rows)} rows")`,
  `curl -sS -H "Authorization: Bearer $TOKEN" "https://api.example.com/v1/runs?limit=50&since={date}"
git clone git@github.com:acme/promptlog.git && cd promptlog && git checkout {hash}
docker run -p 8080:80 -e DATABASE_URL="postgres://app:\${DB_PASSWORD}@db:5432/app" ghcr.io/acme/api:{version}
psql "postgres://app@localhost:5432/app" -c "select count(*) from executions"
ssh -i ~/.ssh/id_ed25519 deploy@{ip}`,
  `SELECT id, created_at, amount_cents FROM orders
WHERE customer_id = {number} AND created_at > '{date}'
ORDER BY created_at DESC LIMIT 50;
INSERT INTO events (id, ts, payload) VALUES ('{id}', {number}, '{"tracking":"{tracking}"}');`,
  `database:
  url: postgres://app:\${DB_PASSWORD}@db:5432/app
  pool: 10
redis: redis://cache:6379/0
auth:
  header: "Authorization: Bearer <token>"
  docs: "Send Authorization: Bearer YOUR_API_KEY with every request"`,
  `# .env.example
OPENAI_API_KEY=
ANTHROPIC_API_KEY=sk-ant-...
DATABASE_URL=postgres://app@localhost:5432/app
STRIPE_PUBLISHABLE_KEY=pk_test_...
PORT=3000`,
  `.sk-button-primary { --sk-color-accent-500: #3b82f6; padding: 4px 8px; }
.sk-datagrid-column-header-12 > .cell { width: calc(100% - 24px); }
<div class="sk-datagrid-column-header-12 sk-learn-compatible-estimators-for-pipelines-v2">{value}</div>`,
  `req.Header.Set("Authorization", "Bearer "+token)
resp, err := client.Do(req)
if err != nil { return fmt.Errorf("request %s: %w", "{id}", err) }`,
  `task-queue-2024-05-17-retry-policy-v3: max_attempts={number}
risk-management-dashboard-v2-2024-q3-report.pdf
xsk-${'0123456789abcdef'.repeat(2)}-stream-id`,
  `| Order | Tracking | Amount |
|---|---|---|
| {order} | {tracking} | {money} |
| {order} | {tracking} | {money} |`,
];

function codeDocument(r: SeededRandom): string {
  return Array.from({ length: r.int(1, 4) }, () => fill(r, r.pick(CODE))).join('\n\n');
}

// --- Blobs --------------------------------------------------------------------------------------------------

function hexDump(r: SeededRandom): string {
  const lines: string[] = [];
  for (let offset = 0, n = r.int(4, 40); offset < n * 16; offset += 16) {
    const groups = Array.from({ length: 8 }, () => r.string(4, r.chance(0.3) ? DIGITS : HEX));
    lines.push(`${offset.toString(16).padStart(8, '0')}: ${groups.join(' ')}  ${r.string(16, ALPHANUMERIC)}`);
  }
  return lines.join('\n');
}

function wrapped(blob: string, width: number): string {
  return blob.replace(new RegExp(`(.{${width}})(?=.)`, 'g'), '$1\n');
}

function blobDocument(r: SeededRandom): string {
  return r.pick([
    () => hex(r, r.int(64, 8000)),
    () => base64Blob(r, r.int(64, 6000)),
    () => base64Blob(r, r.int(64, 6000), 'base64url'),
    () => `-----BEGIN CERTIFICATE-----\n${wrapped(base64Blob(r, r.int(600, 1500)), 64)}\n-----END CERTIFICATE-----`,
    () => `data:image/png;base64,${base64Blob(r, r.int(100, 4000))}`,
    () => `Content-Transfer-Encoding: base64\n\n${wrapped(base64Blob(r, r.int(200, 3000)), 76)}`,
    () => hexDump(r),
    () => Array.from({ length: r.int(10, 200) }, () => hex(r, r.pick([16, 32, 40, 64]))).join(r.pick(['\n', ' ', ','])),
    () => Array.from({ length: r.int(10, 200) }, () => base64Blob(r, r.int(8, 40), 'base64url')).join('\n'),
  ])();
}

// --- Chat ---------------------------------------------------------------------------------------------------

function chatDocument(r: SeededRandom): string {
  const turns: string[] = [];
  for (let i = r.int(2, 10); i > 0; i--) {
    const role = r.pick(['user', 'assistant', 'tool']);
    const content = r.weighted<() => string>([
      [5, () => paragraph(r)],
      [1, () => `\`\`\`\n${codeDocument(r)}\n\`\`\``],
      [1, () => jsonDocument(r)],
      [1, () => logDocument(r)],
    ])();
    turns.push(r.chance(0.5) ? `${role}: ${content}` : JSON.stringify({ role, content }));
  }
  return turns.join('\n');
}

// --- Near misses --------------------------------------------------------------------------------------------

function nearMissDocument(r: SeededRandom): string {
  const lines: string[] = [];
  for (let i = r.int(5, 30); i > 0; i--) {
    const text = nearMiss(r);
    lines.push(
      r.pick([
        () => text,
        () => `${isoTimestamp(r)} DEBUG processing ${text} (${duration(r)})`,
        () => JSON.stringify({ id: uuidV4(r), value: text }),
        () => `"${text}",${integer(r)},${timestamp(r)}`,
        () => `${sentence(r)} ${text} ${sentence(r)}`,
      ])(),
    );
  }
  return lines.join('\n');
}

/** One document of any kind, sometimes several kinds in one, as in a support ticket with a log pasted in. */
export function anyDocument(r: SeededRandom): string {
  const one = () =>
    r.weighted<(r: SeededRandom) => string>([
      [4, (r) => paragraph(r, r.int(3, 20))],
      [3, chatDocument],
      [3, jsonDocument],
      [3, logDocument],
      [1, csvDocument],
      [2, codeDocument],
      [2, blobDocument],
      [1, (r) => Array.from({ length: r.int(5, 40) }, () => url(r)).join('\n')],
      [1, nearMissDocument],
    ])(r);
  return r.chance(0.2) ? `${one()}\n\n${one()}` : one();
}
