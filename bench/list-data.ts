// The synthetic data set of `pnpm bench:list`, generated inside PostgreSQL with generate_series.
// Every attribute of row i comes from hashint8extended(i, seed), so both statements of a chunk (the hot
// row and its payload) agree without materialising anything, and the same BENCH_ROWS gives the same data.

export const PROMPT_COUNT = 200;
/** The heaviest prompt (~25% of all rows). */
export const HEAVY_PROMPT = 'support-reply';
export const DAYS = 90;

const BASES = [
  HEAVY_PROMPT,
  'summarize-ticket',
  'classify-intent',
  'extract-invoice',
  'draft-email',
  'translate-message',
  'answer-faq',
  'review-code',
  'generate-sql',
  'describe-product',
  'moderate-comment',
  'rewrite-tone',
  'plan-trip',
  'score-lead',
  'tag-document',
  'route-ticket',
  'detect-language',
  'summarize-call',
  'write-release-notes',
  'extract-entities',
];
const TEAMS = ['support', 'sales', 'billing', 'growth', 'ops', 'legal', 'hr', 'data', 'docs', 'mobile'];

/** 200 prompt keys; index 0 is the heaviest, popularity falls with the index. */
export const PROMPTS: string[] = Array.from({ length: PROMPT_COUNT }, (_, i) =>
  i < BASES.length
    ? (BASES[i] ?? HEAVY_PROMPT)
    : `${TEAMS[Math.floor(i / BASES.length) % TEAMS.length]}/${BASES[i % BASES.length]}`,
);

const SOURCES: [string, number][] = [
  ['chat', 0.3],
  ['api', 0.25],
  ['workflow', 0.2],
  ['playground', 0.1],
  ['project_tool', 0.08],
  ['mcp', 0.07],
];

interface Model {
  model: string;
  provider: string;
  /** USD per million input and output tokens; null when the catalog does not know the model. */
  input: number | null;
  output: number | null;
  reasoning: boolean;
}

const MODELS: Model[] = [
  { model: 'gpt-4o', provider: 'openai', input: 2.5, output: 10, reasoning: false },
  { model: 'claude-3-5-sonnet-latest', provider: 'anthropic', input: 3, output: 15, reasoning: false },
  { model: 'gpt-4o-mini', provider: 'openai', input: 0.15, output: 0.6, reasoning: false },
  { model: 'gemini-2.0-flash', provider: 'google', input: 0.1, output: 0.4, reasoning: false },
  { model: 'claude-3-5-haiku-latest', provider: 'anthropic', input: 0.8, output: 4, reasoning: false },
  { model: 'o3-mini', provider: 'openai', input: 1.1, output: 4.4, reasoning: true },
  { model: 'gemini-1.5-pro', provider: 'google', input: 1.25, output: 5, reasoning: false },
  { model: 'mistral-large-latest', provider: 'mistral', input: 2, output: 6, reasoning: false },
  { model: 'acme-internal-llm', provider: 'acme', input: null, output: null, reasoning: false },
];

const ERROR_TYPES: [string, number, string, string][] = [
  ['rate_limit', 0.35, 'rate_limit_exceeded', 'Rate limit reached for requests per minute (RPM); retry after 20s'],
  ['timeout', 0.2, 'timeout', 'The provider did not answer within 60 seconds'],
  ['provider', 0.2, 'overloaded_error', 'The model is overloaded, please try again later'],
  ['validation', 0.1, 'invalid_request_error', 'max_tokens is too large for this model'],
  ['authentication', 0.05, 'invalid_api_key', 'Incorrect API key provided'],
  ['other', 0.1, 'internal_error', 'Unexpected response from the provider'],
];

interface Language {
  code: string;
  weight: number;
  /** Contains `{product}` once. */
  opening: string;
  products: string[];
  fillers: string[];
  replies: string[];
  names: string[];
}

/** Ticket and reply text; some of it non-Latin so that text search has something to find in every script. */
export const LANGUAGES: Language[] = [
  {
    code: 'en',
    weight: 0.62,
    opening: 'Hi, I ordered the {product} two weeks ago and it still has not arrived.',
    products: [
      'thermostat',
      'headphones',
      'blender',
      'router',
      'vacuum cleaner',
      'coffee machine',
      'smartwatch',
      'keyboard',
      'monitor',
      'desk lamp',
    ],
    fillers: [
      'The tracking page has not updated in five days and nobody answers the phone.',
      'I need it before the weekend because the old one is broken.',
      'I was charged twice for this order, please refund one of the payments.',
      'The box arrived damaged and one of the parts is missing.',
      'Can you tell me when the replacement will ship and which carrier you use?',
      'My account shows the order as delivered but I never received anything.',
    ],
    replies: [
      'I checked your order: the parcel is with the carrier and was last scanned at the regional hub.',
      'It should arrive within two business days.',
      'If it has not arrived by Friday, reply here and I will send a replacement.',
      'I have refunded the duplicate charge; it will show on your statement in 3-5 days.',
    ],
    names: ['Maria Lopez', 'John Carter', 'Aisha Khan', 'Tom Becker', 'Lena Novak'],
  },
  {
    code: 'es',
    weight: 0.08,
    opening: 'Hola, pedí el {product} hace dos semanas y todavía no ha llegado.',
    products: [
      'termostato',
      'auriculares',
      'licuadora',
      'router',
      'aspiradora',
      'cafetera',
      'reloj inteligente',
      'teclado',
      'monitor',
      'lámpara de escritorio',
    ],
    fillers: [
      'La página de seguimiento no se actualiza desde hace cinco días.',
      'Lo necesito antes del fin de semana porque el antiguo está roto.',
      'Me cobraron dos veces este pedido, por favor devuelvan uno de los pagos.',
      'La caja llegó dañada y falta una de las piezas.',
      '¿Pueden decirme cuándo se enviará el reemplazo?',
      'Mi cuenta muestra el pedido como entregado pero no recibí nada.',
    ],
    replies: [
      'He revisado su pedido: el paquete está con la empresa de transporte.',
      'Debería llegar en dos días hábiles.',
      'Si no llega antes del viernes, responda aquí y le enviaremos un reemplazo.',
      'He reembolsado el cargo duplicado.',
    ],
    names: ['Lucía García', 'Javier Ruiz', 'Carmen Díaz'],
  },
  {
    code: 'de',
    weight: 0.06,
    opening: 'Hallo, ich habe vor zwei Wochen den {product} bestellt und er ist immer noch nicht angekommen.',
    products: [
      'Thermostat',
      'Kopfhörer',
      'Mixer',
      'Router',
      'Staubsauger',
      'Kaffeevollautomat',
      'Smartwatch',
      'Tastatur',
      'Monitor',
      'Schreibtischlampe',
    ],
    fillers: [
      'Die Sendungsverfolgung wurde seit fünf Tagen nicht aktualisiert.',
      'Ich brauche ihn vor dem Wochenende, weil der alte kaputt ist.',
      'Mir wurde die Bestellung zweimal berechnet, bitte erstatten Sie eine Zahlung.',
      'Der Karton kam beschädigt an und ein Teil fehlt.',
      'Wann wird der Ersatz verschickt?',
      'Mein Konto zeigt die Bestellung als zugestellt, aber ich habe nichts erhalten.',
    ],
    replies: [
      'Ich habe Ihre Bestellung geprüft: Das Paket ist beim Versanddienstleister.',
      'Es sollte innerhalb von zwei Werktagen ankommen.',
      'Falls es bis Freitag nicht da ist, antworten Sie hier und wir schicken Ersatz.',
      'Die doppelte Abbuchung habe ich erstattet.',
    ],
    names: ['Jonas Weber', 'Anna Schmidt', 'Felix Wagner'],
  },
  {
    code: 'ja',
    weight: 0.09,
    opening: 'こんにちは。2週間前に{product}を注文しましたが、まだ届いていません。',
    products: [
      '加湿器',
      'ヘッドホン',
      'ミキサー',
      'ルーター',
      '掃除機',
      'コーヒーメーカー',
      'スマートウォッチ',
      'キーボード',
      'モニター',
      'デスクライト',
    ],
    fillers: [
      '追跡ページが5日間更新されておらず、電話もつながりません。',
      '古いものが壊れているので、週末までに必要です。',
      'この注文で二重に請求されました。片方を返金してください。',
      '箱が破損した状態で届き、部品が一つ足りません。',
      '交換品はいつ発送されますか。配送業者も教えてください。',
      'アカウントでは配達済みになっていますが、何も受け取っていません。',
    ],
    replies: [
      'ご注文を確認しました。荷物は配送業者にあり、最後に地域の配送センターでスキャンされています。',
      '2営業日以内に届く予定です。',
      '金曜日までに届かない場合は、こちらにご返信ください。交換品をお送りします。',
      '重複した請求は返金しました。',
    ],
    names: ['佐藤 花子', '鈴木 一郎', '高橋 美咲'],
  },
  {
    code: 'ru',
    weight: 0.09,
    opening: 'Здравствуйте, я заказал {product} две недели назад, и он до сих пор не пришёл.',
    products: [
      'термостат',
      'наушники',
      'блендер',
      'роутер',
      'пылесос',
      'кофемашину',
      'смарт-часы',
      'клавиатуру',
      'монитор',
      'настольную лампу',
    ],
    fillers: [
      'Страница отслеживания не обновлялась пять дней, и никто не отвечает на звонки.',
      'Он нужен мне до выходных, потому что старый сломался.',
      'С меня дважды списали деньги за этот заказ, верните, пожалуйста, один платёж.',
      'Коробка пришла повреждённой, и одной детали не хватает.',
      'Когда отправят замену и какой службой доставки?',
      'В личном кабинете заказ отмечен как доставленный, но я ничего не получил.',
    ],
    replies: [
      'Я проверил ваш заказ: посылка у перевозчика и последний раз была отсканирована на региональном складе.',
      'Она должна прийти в течение двух рабочих дней.',
      'Если она не придёт до пятницы, ответьте здесь, и мы отправим замену.',
      'Я вернул двойное списание.',
    ],
    names: ['Иван Петров', 'Ольга Смирнова', 'Дмитрий Козлов'],
  },
  {
    code: 'ar',
    weight: 0.06,
    opening: 'مرحبا، طلبت {product} قبل أسبوعين ولم يصل بعد.',
    products: [
      'منظم الحرارة',
      'سماعات الرأس',
      'الخلاط',
      'الراوتر',
      'المكنسة الكهربائية',
      'ماكينة القهوة',
      'الساعة الذكية',
      'لوحة المفاتيح',
      'الشاشة',
      'مصباح المكتب',
    ],
    fillers: [
      'لم يتم تحديث صفحة التتبع منذ خمسة أيام ولا أحد يرد على الهاتف.',
      'أحتاجه قبل عطلة نهاية الأسبوع لأن القديم معطل.',
      'تم خصم المبلغ مرتين لهذا الطلب، يرجى استرداد إحدى الدفعتين.',
      'وصل الصندوق تالفا وهناك قطعة مفقودة.',
      'متى سيتم شحن البديل؟',
      'يظهر الطلب في حسابي على أنه تم تسليمه لكنني لم أستلم شيئا.',
    ],
    replies: [
      'لقد راجعت طلبك: الطرد لدى شركة الشحن.',
      'من المتوقع أن يصل خلال يومي عمل.',
      'إذا لم يصل بحلول يوم الجمعة، رد هنا وسنرسل بديلا.',
      'لقد أعدت المبلغ المخصوم مرتين.',
    ],
    names: ['أحمد علي', 'فاطمة حسن', 'يوسف إبراهيم'],
  },
];

/** Words the benchmark searches for, with the language they occur in. */
export const SEARCH_WORDS = { latin: 'thermostat', nonLatin: '加湿器', absent: 'zqxjvbw' } as const;

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const textArray = (items: string[]) => `array[${items.map(quote).join(', ')}]::text[]`;

/** A CASE over cumulative weights: the first value whose cumulative weight exceeds `draw`. */
function weighted(draw: string, entries: [string, number][]): string {
  let cumulative = 0;
  const arms = entries.slice(0, -1).map(([value, weight]) => {
    cumulative += weight;
    return `when ${draw} < ${cumulative.toFixed(6)} then ${value}`;
  });
  return `case ${arms.join(' ')} else ${entries.at(-1)?.[0] ?? 'null'} end`;
}

export interface GenerationPlan {
  projectId: string;
  rows: number;
  /** Epoch milliseconds of the newest row; rows spread evenly over the DAYS before it, oldest first. */
  endMs: number;
}

/** A uniform draw in [0, 1) for row i and a seed. */
const u = (seed: number) => `((hashint8extended(g.i, ${seed}) & 9007199254740991)::float8 / 9007199254740992.0)`;

/**
 * The rows i in [from, to): per-row draws and derived attributes. Both inserts of a chunk select from it;
 * PostgreSQL flattens the subquery and only computes what each one uses.
 */
function rowsSql(plan: GenerationPlan, from: number, to: number): string {
  const spanMs = DAYS * 86_400_000;
  const startMs = plan.endMs - spanMs;
  const step = spanMs / plan.rows;
  const models = MODELS.length;
  const model = (column: string) => `(${column})[(d.prompt_ix + d.model_shift) % ${models} + 1]`;
  return `(
  select d.*, l.*,
    ${model(`array[${MODELS.map((m) => quote(m.model)).join(', ')}]`)} as model,
    ${model(`array[${MODELS.map((m) => quote(m.provider)).join(', ')}]`)} as provider,
    ${model(`array[${MODELS.map((m) => m.input ?? 'null').join(', ')}]::float8[]`)} as price_in,
    ${model(`array[${MODELS.map((m) => m.output ?? 'null').join(', ')}]::float8[]`)} as price_out,
    ${model(`array[${MODELS.map((m) => String(m.reasoning)).join(', ')}]::boolean[]`)} as reasoning
  from (
    select g.i,
      to_timestamp((${startMs} + (g.i + ${u(1)}) * ${step}) / 1000.0) as started_at,
      case when ${u(2)} < 0.25 then 0
        else least(${PROMPT_COUNT - 1}, 1 + floor(${PROMPT_COUNT - 1} * power((${u(2)} - 0.25) / 0.75, 2))::int) end as prompt_ix,
      ${weighted(u(3), [
        ["'success'", 0.88],
        ["'error'", 0.08],
        ["'cancelled'", 0.02],
        ["'pending'", 0.02],
      ])} as status,
      ${weighted(
        u(4),
        SOURCES.map(([name, weight]) => [quote(name), weight]),
      )} as source_type,
      case when ${u(5)} < 0.7 then 0 when ${u(5)} < 0.9 then 1 else 2 end as model_shift,
      case when ${u(6)} < 0.7 then 1 + floor(5 * g.i::float8 / ${plan.rows})::int else 1 + floor(5 * ${u(7)})::int end as prompt_version,
      300 + floor(power(${u(8)}, 2) * 14000)::int as latency,
      200 + floor(power(${u(9)}, 2) * 6000)::int as input_base,
      ${u(10)} as u_out,
      ${weighted(
        u(11),
        LANGUAGES.map((l, index) => [String(index), l.weight]),
      )} as lang_ix,
      ${u(12)} as u_misc,
      floor(${u(13)} * 500)::int as user_ix,
      ${u(14)} as u_tags,
      ${u(15)} as u_env,
      1 + floor(${u(16)} * 10)::int as product_ix,
      1 + floor(${u(17)} * 6)::int as filler_a,
      1 + floor(${u(18)} * 6)::int as filler_b,
      1 + floor(${u(19)} * 4)::int as reply_a,
      ${u(20)} as u_error,
      ${u(21)} as u_retry
    from generate_series(${from}::bigint, ${to - 1}::bigint) as g(i)
  ) as d
  join (values ${LANGUAGES.map(
    (l, index) =>
      `(${index}, ${quote(l.code)}, ${quote(l.opening)}, ${textArray(l.products)}, ${textArray(l.fillers)}, ${textArray(l.replies)}, ${textArray(l.names)})`,
  ).join(',\n    ')}) as l(l_ix, lang, opening, products, fillers, replies, names) on l.l_ix = d.lang_ix
)`;
}

const SYSTEM_PROMPT =
  "You are Acme's support assistant. Be concise and empathetic. Look up orders before answering, never promise " +
  'refunds above 200 EUR without a human, and answer in the language of the customer.';

/** A UUIDv7 for row `alias`.i: the millisecond of started_at, then bits from the row's hashes. */
function idSql(alias: string): string {
  const h = (seed: number, mask: string) => `hashint8extended(${alias}.i, ${seed}) & ${mask}`;
  return `(lpad(to_hex(floor(extract(epoch from ${alias}.started_at) * 1000)::bigint), 12, '0')
    || '7' || lpad(to_hex(${h(101, '4095')}), 3, '0')
    || to_hex(8 + (${h(102, '3')})) || lpad(to_hex(${h(103, '4095')}), 3, '0')
    || lpad(to_hex(${h(104, '281474976710655')}), 12, '0'))::uuid`;
}

/** rowsSql plus the columns both statements need: tokens, cost, error type and the like. */
function derivedSql(plan: GenerationPlan, from: number, to: number): string {
  const errorType = weighted(
    'r.u_error',
    ERROR_TYPES.map(([type, weight]) => [quote(type), weight]),
  );
  return `(
  select r.*,
    case when r.status = 'pending' then null else r.input_base end as input_tokens,
    case when r.status = 'pending' then null when r.status = 'error' then 0
      when r.u_misc < 0.4 then r.input_base / 2 else 0 end as cache_read_tokens,
    case when r.status = 'pending' then null when r.status <> 'error' and r.u_misc >= 0.92 then r.input_base / 5
      else 0 end as cache_write_tokens,
    case r.status when 'pending' then null when 'error' then 0 when 'cancelled' then floor(r.u_out * 100)::int
      else 20 + floor(r.u_out * 900)::int end as output_tokens,
    case when r.status = 'pending' then null when r.reasoning and r.status = 'success' then (20 + floor(r.u_out * 900)::int) * 2 / 5
      else 0 end as reasoning_tokens,
    case r.status when 'error' then ${errorType} when 'cancelled' then 'cancelled' end as error_type,
    r.reasoning and r.status = 'success' as has_thinking,
    case when r.status <> 'success' then 0 when r.u_tags < 0.7 then 0 when r.u_tags < 0.9 then 1 else 2 end
      as tool_call_count,
    case when r.status = 'pending' or r.price_in is null then 'none'
      when r.u_env < 0.05 then 'provided' else 'catalog' end as cost_origin
  from ${rowsSql(plan, from, to)} as r
)`;
}

const EXECUTION_INSERT_COLUMNS = [
  'project_id',
  'id',
  'prompt_id',
  'prompt_version',
  'status',
  'source_type',
  'source_id',
  'source_url',
  'model',
  'provider',
  'started_at',
  'ended_at',
  'received_at',
  'latency_ms',
  'time_to_first_token_ms',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'cost_origin',
  'cost_price_ref',
  'error_type',
  'user_email',
  'user_id',
  'access_key',
  'request_id',
  'attempt',
  'generation',
  'triggered_by',
  'location_node',
  'location_field',
  'trace_id',
  'trace_parent_id',
  'trace_step_index',
  'trace_step_type',
  'tags',
  'metadata',
  'environment',
  'has_thinking',
  'tool_call_count',
];

const PAYLOAD_INSERT_COLUMNS = [
  'project_id',
  'execution_id',
  'started_at',
  'inputs',
  'request',
  'output',
  'error',
  'thinking',
  'tool_calls',
];

/** Columns each table must be given: the generator fails early if the schema grew a NOT NULL column it does not fill. */
export const FILLED_COLUMNS: Record<string, string[]> = {
  executions: EXECUTION_INSERT_COLUMNS,
  execution_payloads: PAYLOAD_INSERT_COLUMNS,
  prompts: ['project_id', 'id', 'created_at'],
  prompt_versions: ['project_id', 'prompt_id', 'version', 'first_seen_at'],
};

export function executionsInsertSql(plan: GenerationPlan, from: number, to: number): string {
  const sourceId = `case t.source_type when 'chat' then 'conv_' || (t.i / 4) when 'workflow' then 'run_' || (t.i / 5)
      when 'playground' then 'pg_' || t.user_ix when 'project_tool' then 'tool_' || t.prompt_ix
      when 'mcp' then 'mcp_client_' || (t.user_ix % 20) end`;
  const latency = `make_interval(secs => t.latency / 1000.0)`;
  const values = [
    `'${plan.projectId}'::uuid`,
    idSql('t'),
    `(${textArray(PROMPTS)})[t.prompt_ix + 1]`,
    't.prompt_version',
    't.status',
    't.source_type',
    sourceId,
    `case when t.source_type in ('chat', 'workflow') then 'https://app.example.com/' || t.source_type || '/' || ${sourceId} end`,
    't.model',
    't.provider',
    't.started_at',
    `case when t.status = 'pending' then null else t.started_at + ${latency} end`,
    `t.started_at + case when t.status = 'pending' then interval '40 ms' else ${latency} + interval '120 ms' end`,
    `case when t.status = 'pending' then null else t.latency end`,
    `case when t.status in ('success', 'cancelled') then t.latency / 4 end`,
    't.input_tokens',
    't.output_tokens',
    't.cache_read_tokens',
    't.cache_write_tokens',
    't.reasoning_tokens',
    `case when t.cost_origin = 'none' then null
      else round(((t.input_tokens * t.price_in + t.output_tokens * t.price_out) / 1000000.0)::numeric, 10) end`,
    't.cost_origin',
    `case when t.cost_origin = 'catalog' then 'catalog:' || t.provider || '/' || t.model end`,
    't.error_type',
    `case when t.source_type in ('chat', 'playground') or t.u_misc < 0.3 then 'user' || t.user_ix || '@example.com' end`,
    `case when t.source_type in ('chat', 'playground') or t.u_misc < 0.3 then 'usr_' || t.user_ix end`,
    `case when t.source_type = 'api' then (array['prod-backend', 'mobile-app', 'partner-x', 'cron'])[1 + t.user_ix % 4] end`,
    `'req_' || t.i`,
    `case when t.u_retry < 0.04 then 2 when t.u_retry < 0.05 then 3 else 1 end`,
    `case when t.u_retry > 0.99 then 2 when t.u_retry > 0.97 then 1 else 0 end`,
    `case when t.u_retry < 0.01 then 'admin' when t.source_type in ('chat', 'playground') then 'user' else 'auto' end`,
    `case when t.source_type = 'workflow' then 'node_' || (t.i % 5) end`,
    `case when t.source_type = 'workflow' then 'answer' end`,
    `case when t.source_type = 'workflow' then 'tr_' || (t.i / 5) end`,
    'null',
    `case when t.source_type = 'workflow' then (t.i % 5)::int end`,
    `case when t.source_type = 'workflow' then 'llm' end`,
    `case when t.u_tags < 0.4 then array['customer-facing'] when t.u_tags < 0.6 then array['internal']
      when t.u_tags < 0.75 then array['batch', 'nightly'] when t.u_tags < 0.85 then array['customer-facing', 'priority']
      when t.u_tags < 0.9 then array['experiment'] end`,
    `jsonb_build_object('tenant', 'tenant-' || (t.user_ix % 50),
      'region', (array['eu-west-1', 'us-east-1', 'ap-northeast-1'])[1 + t.user_ix % 3],
      'appVersion', '2.' || (10 + t.prompt_version) || '.' || (t.i % 4), 'language', t.lang)`,
    `case when t.u_env < 0.85 then 'production' when t.u_env < 0.97 then 'staging' else 'development' end`,
    't.has_thinking',
    't.tool_call_count',
  ];
  return `insert into executions (${EXECUTION_INSERT_COLUMNS.join(', ')})
select ${values.join(',\n  ')}
from ${derivedSql(plan, from, to)} as t;`;
}

export function payloadsInsertSql(plan: GenerationPlan, from: number, to: number): string {
  const errorField = (pick: (entry: [string, number, string, string]) => string) =>
    weighted(
      't.u_error',
      ERROR_TYPES.map((entry) => [quote(pick(entry)), entry[1]]),
    );
  const reply = `t.replies[t.reply_a] || ' ' || t.replies[1 + t.reply_a % 4] || ' ' || t.replies[1 + (t.reply_a + 1) % 4]`;
  const values = [
    `'${plan.projectId}'::uuid`,
    idSql('t'),
    't.started_at',
    `jsonb_build_object('customer_name', t.names[1 + t.user_ix % array_length(t.names, 1)],
      'order_id', 'A-' || (100000 + t.i % 900000), 'language', t.lang,
      'ticket_text', replace(t.opening, '{product}', t.products[t.product_ix]) || ' ' || t.fillers[t.filler_a] || ' '
        || t.fillers[t.filler_b] || ' ' || t.fillers[1 + (t.filler_a + 2) % 6])`,
    `jsonb_build_object('systemPrompt', ${quote(SYSTEM_PROMPT)},
      'messages', jsonb_build_array(jsonb_build_object('role', 'user', 'content', t.fillers[t.filler_b])),
      'parameters', jsonb_build_object('temperature', 0.3, 'max_tokens', 600))`,
    `case t.status when 'success' then to_jsonb(${reply}) when 'cancelled' then to_jsonb(t.replies[t.reply_a]) end`,
    `case t.status
      when 'error' then jsonb_build_object('type', t.error_type, 'message', ${errorField((e) => e[3])}, 'code', ${errorField((e) => e[2])})
      when 'cancelled' then jsonb_build_object('type', 'cancelled', 'message', 'Cancelled by the user') end`,
    `case when t.has_thinking then to_jsonb('The customer asks where the order is. Look it up first, then answer briefly.'::text) end`,
    `case when t.tool_call_count > 0 then jsonb_build_array(jsonb_build_object('round', 1, 'name', 'lookup_order',
      'arguments', jsonb_build_object('order_id', 'A-' || (100000 + t.i % 900000)),
      'result', jsonb_build_object('status', 'in_transit'), 'latencyMs', 84)) end`,
  ];
  return `insert into execution_payloads (${PAYLOAD_INSERT_COLUMNS.join(', ')})
select ${values.join(',\n  ')}
from ${derivedSql(plan, from, to)} as t;`;
}

export function promptsInsertSql(plan: GenerationPlan): string {
  const startMs = plan.endMs - DAYS * 86_400_000;
  return `insert into prompts (project_id, id, created_at)
select '${plan.projectId}'::uuid, p.id, to_timestamp(${startMs} / 1000.0) - make_interval(hours => p.n::int)
from unnest(${textArray(PROMPTS)}) with ordinality as p(id, n)
on conflict do nothing;`;
}

/** What ingestion records in prompt_versions (when the table exists): every version seen, from its first run. */
export const PROMPT_VERSIONS_INSERT_SQL = `insert into prompt_versions (project_id, prompt_id, version, first_seen_at)
select project_id, prompt_id, prompt_version, min(started_at) from executions
where prompt_version is not null group by 1, 2, 3
on conflict do nothing;`;
