/*
 * The phrase lists behind `refusal` and `injectionSuspected` (docs/signals.md). Every pattern is matched against
 * lower-cased text of bounded length, and every repetition in it is bounded, so no input makes one backtrack for long.
 * Refusal patterns are anchored (^): they must open the answer or, in a short answer, one of its sentences.
 */

const EN_OPENING =
  "(?:(?:i'm|i am) (?:so |really |very |truly )?sorry|sorry|i apologi[sz]e|apologies|unfortunately|regrettably|i'm afraid|i am afraid|however|as an ai(?: language model| assistant)?)";
const EN_DECLINE = String.raw`(?:i (?:can ?not|can't|won't|will not|won't be able to|will not be able to|am not able to|'m not able to|am unable to|'m unable to|am not allowed to|'m not allowed to|am not permitted to|'m not permitted to|do not feel comfortable|don't feel comfortable|must decline to|have to decline to)\s+(?:help(?! but)|assist|provide|comply|fulfil|fulfill|answer|create|generate|write|produce|share|give|offer|engage|participate|support|continue|complete|do (?:that|this)|discuss|process|translate|summari[sz]e|respond)|i (?:must|have to|need to|will have to|'ll have to) (?:respectfully |politely )?(?:decline|refuse)|(?:that's|that is|this is|it's|it is) not something i (?:can|am able to|'m able to|will) (?:help|assist|do|provide))`;

const DE_OPENING =
  '(?:es tut mir (?:sehr |wirklich )?leid|tut mir leid|entschuldigung|entschuldige|leider|bedauerlicherweise|ich bedaure)';
const DE_DECLINE = String.raw`(?:(?:ich kann|kann ich)(?:\s+\S+){0,4}?\s+(?:nicht|keine[nmrs]?)(?:\s+\S+){0,5}?\s+(?:helfen|behilflich|unterstützen|erfüllen|nachkommen|beantworten|bereitstellen|liefern|geben|erstellen|schreiben|tun|machen|durchführen)|ich (?:muss|werde) (?:diese anfrage |das |dies )?(?:leider )?ablehnen|(?:dabei|damit|hierbei|hiermit|bei dieser anfrage) kann ich (?:dir |ihnen |euch )?(?:leider )?nicht (?:helfen|behilflich)|ich bin (?:leider )?nicht in der lage|das kann ich (?:leider )?nicht)`;

const FR_OPENING =
  '(?:je suis (?:vraiment |sincèrement )?désolée?|désolée?|navrée?|malheureusement|je regrette|excusez-moi|pardon)';
const FR_DECLINE = String.raw`(?:je ne (?:peux|puis) pas\s+(?:(?!attendre)\S+\s+){0,2}?(?:aider|assister|répondre|fournir|donner|satisfaire|accéder|créer|générer|écrire|rédiger|faire|traiter|continuer|participer|partager|accomplir|accéder)|je ne suis pas en mesure d|je dois (?:respectueusement )?(?:refuser|décliner)|ce n'est pas quelque chose (?:que|sur lequel) je|il m'est impossible d|je refuse d)`;

const ES_OPENING =
  '(?:lo siento(?: mucho)?|lo lamento|disculpa|disculpe|perdón|lamentablemente|desafortunadamente|me temo que)';
const ES_DECLINE = String.raw`(?:no (?:puedo|podré|me es posible|me está permitido)\s+(?:(?!esperar)\S+\s+){0,2}?(?:ayudar|asistir|proporcionar|responder|cumplir|dar|crear|generar|escribir|hacer|facilitar|ofrecer|compartir|continuar|atender)|no estoy en condiciones de|debo (?:rechazar|declinar|negarme)|(?:eso )?no es algo (?:con lo )?que (?:pueda|puedo)|me niego a)`;

const JA_OPENING =
  '(?:申し訳(?:ありません|ございません|ない)(?:が|けど|けれど(?:も)?)?|すみません(?:が)?|恐れ入りますが|残念(?:ながら|ですが)|ごめんなさい(?:が)?)';
const JA_DECLINE = String.raw`(?:[^。！？\n、]{0,40}?(?:お手伝い|お応え|お答え|応え|答え|回答|対応|協力|提供|支援|作成|生成|応じ|手伝|従)(?:する|いたす|させていただく)?(?:こと)?(?:は|が)?(?:でき(?:ません|ない)|いたしかねます|致しかねます|しかねます|かねます))`;

const ZH_OPENING = '(?:(?:非常|很|十分)?抱歉|对不起|對不起|不好意思|很遗憾|很遺憾|遗憾的是|遺憾的是)';
const ZH_DECLINE = String.raw`(?:(?:我们|我們|我)?(?:恐怕)?(?:无法|無法|不能|不可以|没办法|沒辦法|不会|不會)(?!等)[^。！？\n，,；;]{0,20}?(?:帮助|幫助|帮忙|幫忙|协助|協助|提供|回答|满足|滿足|完成|处理|處理|生成|回应|回應|编写|編寫|创建|創建|参与|參與|照做|执行|執行))`;

/** Punctuation and a "but" between an apology and the decline. */
const JOIN = String.raw`[\s,.!:;—–-]*(?:(?:but|aber|mais|pero|但是|但)[\s,，]*)?`;
const CJK_JOIN = String.raw`[\s、。，,！!]*(?:(?:但是|但)[\s,，]*)?`;

function anchored(opening: string, decline: string, join = JOIN): RegExp {
  return new RegExp(`^(?:${opening}${join}){0,2}${decline}`, 'u');
}

export const REFUSAL_PATTERNS: readonly RegExp[] = [
  anchored(EN_OPENING, EN_DECLINE),
  anchored(DE_OPENING, DE_DECLINE),
  anchored(FR_OPENING, FR_DECLINE),
  anchored(ES_OPENING, ES_DECLINE),
  anchored(JA_OPENING, JA_DECLINE, CJK_JOIN),
  anchored(ZH_OPENING, ZH_DECLINE, CJK_JOIN),
];

const Q = '(?:previous|prior|above|earlier|preceding|foregoing|system|original|initial|all)';
const NOUN = '(?:instructions?|prompts?|rules|directions|directives|guidelines|guardrails|context|commands?|messages?)';

/**
 * A word every injection pattern holds: one pass over a text rules most of them out before the patterns run.
 */
export const INJECTION_HINT =
  /ignor|disregard|forget|overrid|bypass|system\s+(?:prompt|message)|initial\s+instructions|hidden\s+instructions|you\s+are\s+now|anything\s+now|you\s+(?:have|had)\s+no|vergiss|vergesst|vergessen|missacht|oubli|olvid|omit|descarta|無視|忘れ|忽略|无视|忘记|忘記|忽視|不要理/u;

/** Instructions that try to override the prompt, found in user-supplied text. */
export const INJECTION_PATTERNS: readonly RegExp[] = [
  new RegExp(
    String.raw`\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|the|your|my|of|these|those|every)\s+){0,3}${Q}\s+(?:\S+\s+)?${NOUN}\b`,
    'u',
  ),
  /\b(?:ignore|disregard|forget) (?:everything|all) (?:above|before|you were told)/u,
  /\b(?:reveal|show|print|repeat|output|display|leak|tell me)\s+(?:me\s+)?(?:your|the)\s+(?:full\s+|entire\s+|original\s+|hidden\s+|initial\s+)?(?:system\s+prompt|system\s+message|initial\s+instructions|hidden\s+instructions)/u,
  /\byou\s+are\s+now\s+(?:dan\b|in\s+(?:developer|god|jailbreak)\s+mode|an?\s+(?:unrestricted|unfiltered|uncensored))/u,
  /\bdo\s+anything\s+now\b/u,
  /\b(?:pretend|act)\s+(?:as\s+if\s+|that\s+)?you\s+(?:have|had)\s+no\s+(?:restrictions|rules|guidelines|filters|limits)/u,
  /\b(?:ignoriere|ignoriert|ignorieren sie|vergiss|vergesst|vergessen sie|missachte|missachten sie)\s+(?:\S+\s+){0,3}?(?:vorherigen|vorigen|bisherigen|obigen|vorangegangenen|vorhergehenden|früheren|ursprünglichen|alle|sämtliche)\s+(?:\S+\s+)?(?:anweisungen|instruktionen|befehle|regeln|vorgaben|anordnungen)/u,
  /\bvergiss alles,? was (?:dir|ihnen) (?:zuvor|vorher|bisher)/u,
  /\b(?:ignore[zs]?|oublie[zs]?)\s+(?:\S+\s+){0,3}?(?:instructions|consignes|règles|directives|indications)\s+(?:\S+\s+)?(?:précédentes|antérieures|ci-dessus|initiales|d'origine|du système)/u,
  /\b(?:ignora|ignore|ignoren|olvida|olvide|olviden|omite|omita|descarta)\s+(?:\S+\s+){0,3}?(?:instrucciones|indicaciones|reglas|órdenes|directrices)\s+(?:\S+\s+)?(?:anteriores|previas|precedentes|iniciales|originales|del sistema)/u,
  /(?:以前|前|上記|これまで|今まで|先ほど|最初|元|システム)の(?:すべての|全ての|全部の)?(?:指示|命令|プロンプト|ルール|設定|指令)(?:は|を)?(?:すべて|全て|全部)?(?:無視|忘れ)/u,
  /(?:すべて|全て)の(?:指示|命令)を(?:無視|忘れ)/u,
  /(?:忽略|无视|無視|忘记|忘記|忽視|不要理会|不要理會)(?:掉)?(?:你)?(?:之前|以前|上面|先前|前面|上述|以上|所有|全部|原来|原來|原始|系统|系統)[^。\n，,]{0,8}?(?:指令|指示|提示词|提示詞|提示|规则|規則|设定|設定|命令|说明|說明)/u,
];
