import { describe, expect, it } from 'vitest';
import { DEMO_CARTS } from '../../src/demo/merchant-server.ts';
import { SHOP_TEXTS } from '../../src/demo/shop-texts.ts';
import { LANGUAGES } from '../../src/react/i18n/index.tsx';

describe('the demo shop speaks the widget’s languages', () => {
  it('has every text and every order in each of the six languages', () => {
    expect(Object.keys(SHOP_TEXTS).sort()).toEqual([...LANGUAGES].sort());
    for (const language of LANGUAGES) {
      const texts = SHOP_TEXTS[language];
      for (const [key, value] of Object.entries(texts)) {
        if (key !== 'carts') expect(value, `${language}.${key}`).toMatch(/\S/);
      }
      expect(Object.keys(texts.carts).sort(), language).toEqual(Object.keys(DEMO_CARTS).sort());
    }
  });

  it('is translated, not English with another name: the page texts differ from English', () => {
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      const texts = SHOP_TEXTS[language];
      expect(texts.go, language).not.toBe(SHOP_TEXTS.en.go);
      expect(texts.chooseOrder, language).not.toBe(SHOP_TEXTS.en.chooseOrder);
      expect(texts.carts['ph-1500'][1], language).not.toBe(SHOP_TEXTS.en.carts['ph-1500'][1]);
    }
  });

  it('names the orders in English as the shop’s server does (the e2e tests find them by it)', () => {
    for (const [id, cart] of Object.entries(DEMO_CARTS)) {
      expect(SHOP_TEXTS.en.carts[id]).toEqual([cart.label, cart.description]);
    }
  });
});
