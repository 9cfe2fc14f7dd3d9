import type { SeededRandom } from './random';
import {
  anyValue,
  decimal,
  duration,
  email,
  hex,
  iban,
  integer,
  ipAddress,
  maskedCard,
  money,
  orderNumber,
  person,
  phoneNumber,
  productCode,
  timestamp,
  trackingNumber,
  uuidV4,
  version,
} from './values';

const SLOTS: Readonly<Record<string, (r: SeededRandom) => string>> = {
  order: orderNumber,
  tracking: trackingNumber,
  phone: phoneNumber,
  date: (r) => timestamp(r),
  money,
  amount: money,
  number: integer,
  decimal,
  version,
  ip: ipAddress,
  name: person,
  email,
  id: uuidV4,
  hash: (r) => hex(r, r.pick([7, 12, 40, 64])),
  product: productCode,
  iban,
  masked: maskedCard,
  duration,
  value: anyValue,
  emoji: (r) => r.pick(EMOJI),
};

/** The template with each {slot} replaced by a generated value of that kind. */
export function fill(r: SeededRandom, template: string): string {
  return template.replace(/\{(\w+)\}/g, (whole, slot: string) => SLOTS[slot]?.(r) ?? whole);
}

const EMOJI = [
  '🙂',
  '👍',
  '🚀',
  '✅',
  '❌',
  '🔥',
  '🎉',
  '📦',
  '💳',
  '🙏',
  '👩🏽‍💻',
  '🇩🇪',
  '🇯🇵',
  '❤️',
  '😅',
  '🤖',
  '⚠️',
  '1️⃣',
];

const ENGLISH = [
  'Hi {name}, your order {order} shipped on {date} and should arrive within 3–5 business days.',
  'Tracking number: {tracking}. You can follow the parcel on the carrier website.',
  'I was charged {money} twice for order {order}, can you refund one of them? {emoji}',
  'Please call me back at {phone} between 9am and 5pm.',
  'The refund of {amount} to your {masked} was issued on {date}.',
  'Our latency p99 went from {duration} to {duration} after upgrading to {version}.',
  'The request from {ip} failed at {date} with status 502; request id {id}.',
  'Commit {hash} fixed the flaky test, see build {number}.',
  'Product {product} is back in stock; we have {number} units in the warehouse.',
  'Transfer the deposit to {iban} with the reference {order}.',
  'Risk-management reviewed the task-list for Q3, and the quarterly report is due {date}.',
  'We use scikit-learn (people still type sk-learn) for the baseline, with sk-learn-compatible-estimators-for-pipelines as the wrapper name.',
  'The bearer of this letter is authorised to collect the parcel on my behalf.',
  'Bearer bonds were popular in the 19th century because they were hard to trace.',
  'Bearer authentication (also called token authentication) sends the token in the Authorization header.',
  'She served as ring-bearer and later as the standard-bearer of the movement.',
  'The token_type in the response is "Bearer" and expires_in is 3600.',
  'Send an email to {email} or reply to this message; mailto:{email} links work too.',
  'The model answered in {duration} using {number} prompt tokens and {number} completion tokens.',
  'Clone it with git clone git@github.com:acme/promptlog.git and run pnpm install.',
  'Version {version} of the SDK is the first that retries on 429.',
  'The value was {decimal}, which rounds to {decimal} in the report.',
  'Ticket {order} was merged into {order}; the customer is {name} ({email}).',
  'Measured {value} and {value} in the same run.',
  'Please keep the receipt: the card ending in {masked} was charged {money} on {date}.',
];

const OTHER_LANGUAGES = [
  'Ihre Bestellung {order} wurde am {date} versandt, Sendungsnummer {tracking}.',
  'Bitte überweisen Sie {amount} auf das Konto {iban}. Rückfragen unter {phone}.',
  'Der Überbringer dieses Schreibens ist berechtigt, das Paket abzuholen.',
  'Votre commande {order} a été expédiée le {date}. Numéro de suivi : {tracking}.',
  'Le montant de {amount} a été remboursé sur votre carte {masked}.',
  'Su pedido {order} fue enviado el {date}; llame al {phone} si tiene preguntas.',
  'El reembolso de {amount} se procesó el {date} {emoji}',
  'O seu pedido {order} foi enviado em {date}. Código de rastreio {tracking}.',
  'Il tuo ordine {order} è stato spedito il {date}, totale {amount}.',
  'Zamówienie {order} zostało wysłane {date}. Numer przesyłki: {tracking}.',
  'Ваш заказ {order} отправлен {date}. Трек-номер {tracking}, телефон {phone}.',
  'Η παραγγελία σας {order} στάλθηκε στις {date}.',
  'تم شحن طلبك رقم {order} في {date}، رقم التتبع {tracking}.',
  'ההזמנה שלך {order} נשלחה בתאריך {date}.',
  'आपका ऑर्डर {order} {date} को भेज दिया गया है। ट्रैकिंग नंबर {tracking}।',
  'ご注文番号{order}の商品は{date}に発送されました。お問い合わせは{phone}まで。',
  '請求金額は{amount}です。カード{masked}に請求されました{emoji}',
  '您的订单{order}已于{date}发货，快递单号{tracking}，客服电话{phone}。',
  '退款{amount}已退回到您尾号{masked}的银行卡。',
  '주문 번호 {order}의 배송이 {date}에 시작되었습니다. 운송장 번호 {tracking}.',
  'คำสั่งซื้อ {order} ของคุณถูกจัดส่งเมื่อ {date}',
  'Đơn hàng {order} của bạn đã được gửi vào {date}.',
  'Siparişiniz {order} {date} tarihinde kargoya verildi.',
];

export function sentence(r: SeededRandom): string {
  return fill(r, r.chance(0.6) ? r.pick(ENGLISH) : r.pick(OTHER_LANGUAGES));
}

export function paragraph(r: SeededRandom, sentences = r.int(2, 7)): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(r));
  return out.join(r.pick([' ', ' ', '\n', ' ']));
}
