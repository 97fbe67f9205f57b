/**
 * The demo shop's own texts in the widget's six languages (the widget translates itself; this is the
 * page around it, as a merchant's shop would be). The orders are named by cart id; a cart the table does
 * not know keeps the server's English label.
 */
import type { Language } from '../react/i18n/index.tsx';

export interface ShopTexts {
  title: string;
  pages: string;
  shopReact: string;
  shopEmbed: string;
  console: string;
  language: string;
  dark: string;
  chooseOrder: string;
  email: string;
  optional: string;
  emailHint: string;
  go: string;
  busy: string;
  again: string;
  loading: string;
  testNote: string;
  carts: Record<string, [label: string, description: string]>;
}

const en: ShopTexts = {
  title: 'Demo shop',
  pages: 'Demo pages',
  shopReact: 'Shop (React)',
  shopEmbed: 'Shop (script tag)',
  console: 'Merchant console',
  language: 'Language',
  dark: 'Dark',
  chooseOrder: 'Choose an order',
  email: 'E-mail',
  optional: 'optional',
  emailHint: 'GrabPay asks for it when you pay in pesos.',
  go: 'Go to checkout',
  busy: 'Creating the order…',
  again: 'Start a new order',
  loading: 'Loading…',
  testNote: 'A test shop: payments go to the ecommpay sandbox, no real money moves.',
  carts: {
    'ph-1500': ['Philippines — GrabPay', 'Rattan chair (PH)'],
    'my-50': ['Malaysia — GrabPay', 'Batik scarf (MY)'],
    'kr-25000': ['Korea — Payco', 'Tea set (KR)'],
    'eu-25': ['Europe & CIS — ADVCash, Jeton Voucher', 'Headphones (multi-currency)'],
    'decline-400': ['Test decline (400.00)', 'Amount the test rules decline'],
  },
};

const ru: ShopTexts = {
  title: 'Демо-магазин',
  pages: 'Страницы демо',
  shopReact: 'Магазин (React)',
  shopEmbed: 'Магазин (тег script)',
  console: 'Консоль продавца',
  language: 'Язык',
  dark: 'Тёмная тема',
  chooseOrder: 'Выберите заказ',
  email: 'E-mail',
  optional: 'необязательно',
  emailHint: 'GrabPay спрашивает его при оплате в песо.',
  go: 'Перейти к оплате',
  busy: 'Создаём заказ…',
  again: 'Новый заказ',
  loading: 'Загрузка…',
  testNote: 'Тестовый магазин: платежи идут в песочницу ecommpay, реальные деньги не списываются.',
  carts: {
    'ph-1500': ['Филиппины — GrabPay', 'Кресло из ротанга (PH)'],
    'my-50': ['Малайзия — GrabPay', 'Платок-батик (MY)'],
    'kr-25000': ['Корея — Payco', 'Чайный набор (KR)'],
    'eu-25': ['Европа и СНГ — ADVCash, Jeton Voucher', 'Наушники (несколько валют)'],
    'decline-400': ['Тестовый отказ (400.00)', 'Сумма, которую тестовые правила отклоняют'],
  },
};

const uk: ShopTexts = {
  title: 'Демо-магазин',
  pages: 'Сторінки демо',
  shopReact: 'Магазин (React)',
  shopEmbed: 'Магазин (тег script)',
  console: 'Консоль продавця',
  language: 'Мова',
  dark: 'Темна тема',
  chooseOrder: 'Оберіть замовлення',
  email: 'E-mail',
  optional: 'необов’язково',
  emailHint: 'GrabPay запитує його під час оплати в песо.',
  go: 'Перейти до оплати',
  busy: 'Створюємо замовлення…',
  again: 'Нове замовлення',
  loading: 'Завантаження…',
  testNote: 'Тестовий магазин: платежі йдуть у пісочницю ecommpay, реальні гроші не списуються.',
  carts: {
    'ph-1500': ['Філіппіни — GrabPay', 'Крісло з ротангу (PH)'],
    'my-50': ['Малайзія — GrabPay', 'Хустка-батик (MY)'],
    'kr-25000': ['Корея — Payco', 'Чайний набір (KR)'],
    'eu-25': ['Європа та СНД — ADVCash, Jeton Voucher', 'Навушники (кілька валют)'],
    'decline-400': ['Тестова відмова (400.00)', 'Сума, яку тестові правила відхиляють'],
  },
};

const ko: ShopTexts = {
  title: '데모 상점',
  pages: '데모 페이지',
  shopReact: '상점 (React)',
  shopEmbed: '상점 (script 태그)',
  console: '판매자 콘솔',
  language: '언어',
  dark: '다크 모드',
  chooseOrder: '주문 선택',
  email: '이메일',
  optional: '선택',
  emailHint: 'GrabPay로 페소 결제 시 필요합니다.',
  go: '결제하기',
  busy: '주문 생성 중…',
  again: '새 주문 시작',
  loading: '불러오는 중…',
  testNote: '테스트 상점입니다. 결제는 ecommpay 샌드박스로 전송되며 실제 돈은 이동하지 않습니다.',
  carts: {
    'ph-1500': ['필리핀 — GrabPay', '라탄 의자 (PH)'],
    'my-50': ['말레이시아 — GrabPay', '바틱 스카프 (MY)'],
    'kr-25000': ['한국 — Payco', '다기 세트 (KR)'],
    'eu-25': ['유럽 및 CIS — ADVCash, Jeton Voucher', '헤드폰 (다중 통화)'],
    'decline-400': ['테스트 거절 (400.00)', '테스트 규칙이 거절하는 금액'],
  },
};

const ms: ShopTexts = {
  title: 'Kedai demo',
  pages: 'Halaman demo',
  shopReact: 'Kedai (React)',
  shopEmbed: 'Kedai (tag script)',
  console: 'Konsol peniaga',
  language: 'Bahasa',
  dark: 'Gelap',
  chooseOrder: 'Pilih pesanan',
  email: 'E-mel',
  optional: 'pilihan',
  emailHint: 'GrabPay memerlukannya untuk bayaran dalam peso.',
  go: 'Teruskan ke pembayaran',
  busy: 'Mencipta pesanan…',
  again: 'Mulakan pesanan baharu',
  loading: 'Memuatkan…',
  testNote: 'Kedai ujian: bayaran dihantar ke kotak pasir ecommpay, tiada wang sebenar bergerak.',
  carts: {
    'ph-1500': ['Filipina — GrabPay', 'Kerusi rotan (PH)'],
    'my-50': ['Malaysia — GrabPay', 'Selendang batik (MY)'],
    'kr-25000': ['Korea — Payco', 'Set teh (KR)'],
    'eu-25': ['Eropah & CIS — ADVCash, Jeton Voucher', 'Fon kepala (pelbagai mata wang)'],
    'decline-400': ['Ujian penolakan (400.00)', 'Jumlah yang ditolak oleh peraturan ujian'],
  },
};

const fil: ShopTexts = {
  title: 'Demo na tindahan',
  pages: 'Mga pahina ng demo',
  shopReact: 'Tindahan (React)',
  shopEmbed: 'Tindahan (script tag)',
  console: 'Console ng merchant',
  language: 'Wika',
  dark: 'Madilim',
  chooseOrder: 'Pumili ng order',
  email: 'E-mail',
  optional: 'opsyonal',
  emailHint: 'Hinihingi ito ng GrabPay kapag nagbabayad ka sa piso.',
  go: 'Magpatuloy sa checkout',
  busy: 'Ginagawa ang order…',
  again: 'Magsimula ng bagong order',
  loading: 'Naglo-load…',
  testNote: 'Test na tindahan: napupunta ang bayad sa sandbox ng ecommpay, walang totoong perang gumagalaw.',
  carts: {
    'ph-1500': ['Pilipinas — GrabPay', 'Silyang rattan (PH)'],
    'my-50': ['Malaysia — GrabPay', 'Batik na bandana (MY)'],
    'kr-25000': ['Korea — Payco', 'Tea set (KR)'],
    'eu-25': ['Europe at CIS — ADVCash, Jeton Voucher', 'Headphones (maraming currency)'],
    'decline-400': ['Test na pagtanggi (400.00)', 'Halagang tinatanggihan ng test rules'],
  },
};

export const SHOP_TEXTS: Record<Language, ShopTexts> = { en, ru, uk, ko, ms, fil };
