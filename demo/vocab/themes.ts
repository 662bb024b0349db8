import type { Lang, Theme } from '../types.js';

/** A product category of a theme: URL slug and display name. */
export interface CategoryWord {
  slug: string;
  name: string;
}

export interface ThemeWords {
  categories: CategoryWord[];
  modifiers: string[];
  specs: string[];
  /** Suffix of a shop's display name, e.g. 茶庄 / Outdoor. */
  shopSuffix: string;
  /** Industry word of the operator's company name. */
  industry: string;
  /** Price range in the site's currency unit. */
  price: [number, number];
}

const zhModifiers = [
  '精选',
  '经典',
  '新款',
  '家用',
  '便携',
  '手工',
  '天然',
  '简约',
  '加厚',
  '升级款',
  '轻巧',
  '原装',
];

function cats(pairs: string): CategoryWord[] {
  return pairs.split(',').map((pair) => {
    const [slug = '', name = ''] = pair.split(':');
    return { slug, name };
  });
}

/** Simplified-Chinese themes (zh-CN shops). */
export const ZH_THEMES: Partial<Record<Theme, ThemeWords>> = {
  tea: {
    categories: cats(
      'green-tea:绿茶,black-tea:红茶,oolong:乌龙茶,white-tea:白茶,puer:普洱茶,flower-tea:花茶,teaware:茶具,gift-box:茶叶礼盒,dark-tea:黑茶,herbal-tea:花草茶',
    ),
    modifiers: ['明前', '高山', '手工', '经典', '精选', '新茶'],
    specs: ['250g', '500g', '100g罐装', '礼盒装'],
    shopSuffix: '茶庄',
    industry: '茶业',
    price: [39, 1280],
  },
  health: {
    categories: cats(
      'vitamins:维生素片,protein:蛋白粉,fish-oil:鱼油软胶囊,probiotics:益生菌,calcium:钙片,collagen:胶原蛋白肽,lutein:叶黄素,coq10:辅酶Q10,birds-nest:即食燕窝,ejiao:阿胶糕',
    ),
    modifiers: zhModifiers,
    specs: ['60粒', '90粒', '120粒', '1kg', '30袋'],
    shopSuffix: '健康馆',
    industry: '生物科技',
    price: [49, 899],
  },
  cosmetics: {
    categories: cats(
      'cream:保湿面霜,serum:精华液,mask:补水面膜,cleanser:洁面乳,sunscreen:防晒霜,lipstick:口红,foundation:粉底液,eye-cream:眼霜,perfume:香水,remover:卸妆油',
    ),
    modifiers: zhModifiers,
    specs: ['30ml', '50ml', '100ml', '5片装'],
    shopSuffix: '美妆店',
    industry: '化妆品',
    price: [29, 699],
  },
  digital: {
    categories: cats(
      'phone-case:手机壳,earphones:蓝牙耳机,charger:充电器,cable:数据线,power-bank:移动电源,speaker:音箱,keyboard:键盘,mouse:鼠标,watch:智能手表,tablet:平板配件',
    ),
    modifiers: zhModifiers,
    specs: ['黑色', '白色', '蓝色', '套装'],
    shopSuffix: '数码店',
    industry: '电子科技',
    price: [19, 1599],
  },
  apparel: {
    categories: cats(
      't-shirt:T恤,shirt:衬衫,dress:连衣裙,coat:外套,jeans:牛仔裤,sneakers:运动鞋,hat:帽子,scarf:围巾,socks:袜子,bag:包袋',
    ),
    modifiers: zhModifiers,
    specs: ['男款', '女款', 'M码', 'L码'],
    shopSuffix: '服饰店',
    industry: '服饰',
    price: [29, 899],
  },
  pharmacy: {
    categories: cats(
      'cold:感冒用药,stomach:肠胃用药,minerals:维矿物质,skin:皮肤用药,bp-monitor:电子血压计,glucose:血糖仪,masks:医用口罩,bandage:创可贴,thermometer:体温计,care:护理用品',
    ),
    modifiers: ['家用', '便携', '原装', '精选'],
    specs: ['12片', '24片', '1台', '50只装'],
    shopSuffix: '大药房',
    industry: '医药',
    price: [9, 599],
  },
  home: {
    categories: cats(
      'bedding:床品四件套,towel:毛巾,storage:收纳箱,cookware:炒锅,tableware:餐具,lamp:台灯,cleaning:清洁用品,aroma:香薰,rug:地毯,curtain:窗帘',
    ),
    modifiers: zhModifiers,
    specs: ['1.5m', '1.8m', '2件套', '大号'],
    shopSuffix: '家居馆',
    industry: '家居用品',
    price: [19, 999],
  },
  baby: {
    categories: cats(
      'formula:婴儿奶粉,diapers:纸尿裤,bottle:奶瓶,stroller:婴儿推车,toys:益智玩具,kidswear:童装,baby-food:辅食,wipes:湿巾,car-seat:安全座椅,bath:洗护用品',
    ),
    modifiers: zhModifiers,
    specs: ['3段 800g', 'S码', 'M码', '6个月以上'],
    shopSuffix: '母婴店',
    industry: '母婴用品',
    price: [19, 1999],
  },
};

/** English themes (cross-border shops). */
export const EN_THEMES: Partial<Record<Theme, ThemeWords>> = {
  outdoor: {
    categories: cats(
      'tents:Tent,backpacks:Backpack,sleeping-bags:Sleeping Bag,stoves:Camp Stove,lights:Headlamp,jackets:Rain Jacket,boots:Hiking Boots,bottles:Water Bottle,chairs:Camp Chair,poles:Trekking Poles',
    ),
    modifiers: ['Ultralight', 'Classic', 'Everyday', 'Compact', 'Trail', 'Expedition'],
    specs: ['2P', '35L', 'One size', 'Pair'],
    shopSuffix: 'Outdoor',
    industry: 'Trading',
    price: [9, 399],
  },
  health: {
    categories: cats(
      'multivitamins:Multivitamin,protein:Whey Protein,omega3:Omega-3 Softgels,probiotics:Probiotic,magnesium:Magnesium,collagen:Collagen Powder,zinc:Zinc Tablets,elderberry:Elderberry Gummies,turmeric:Turmeric Capsules,melatonin:Melatonin',
    ),
    modifiers: ['Daily', 'Organic', 'Essential', 'Plant-based', 'Classic'],
    specs: ['60 count', '90 count', '1 lb', '120 count'],
    shopSuffix: 'Nutrition',
    industry: 'Health Technology',
    price: [8, 79],
  },
  cosmetics: {
    categories: cats(
      'moisturizer:Moisturizer,serum:Face Serum,masks:Sheet Mask,cleanser:Gentle Cleanser,sunscreen:Sunscreen SPF50,lip:Lip Tint,foundation:Foundation,eye:Eye Cream,fragrance:Eau de Parfum,toner:Toner',
    ),
    modifiers: ['Hydrating', 'Gentle', 'Daily', 'Soothing', 'Classic'],
    specs: ['30 ml', '50 ml', '100 ml', '5 pack'],
    shopSuffix: 'Skincare',
    industry: 'Cosmetics',
    price: [6, 89],
  },
  digital: {
    categories: cats(
      'cases:Phone Case,earbuds:Wireless Earbuds,chargers:USB-C Charger,cables:Braided Cable,power-banks:Power Bank,speakers:Bluetooth Speaker,keyboards:Mechanical Keyboard,mice:Wireless Mouse,watches:Smart Watch,stands:Tablet Stand',
    ),
    modifiers: ['Compact', 'Fast', 'Slim', 'Everyday', 'Pro'],
    specs: ['Black', 'White', 'Blue', '2-pack'],
    shopSuffix: 'Electronics',
    industry: 'Electronic Technology',
    price: [7, 199],
  },
  home: {
    categories: cats(
      'bedding:Duvet Cover,towels:Bath Towel,storage:Storage Box,cookware:Frying Pan,tableware:Dinner Set,lamps:Desk Lamp,cleaning:Microfiber Cloth,candles:Scented Candle,rugs:Area Rug,curtains:Blackout Curtain',
    ),
    modifiers: ['Soft', 'Classic', 'Modern', 'Everyday', 'Cozy'],
    specs: ['Queen', 'King', 'Set of 2', 'Large'],
    shopSuffix: 'Home',
    industry: 'Household Products',
    price: [6, 149],
  },
};

/** Traditional-Chinese tea theme (the Big5 site). */
export const TW_THEMES: Partial<Record<Theme, ThemeWords>> = {
  tea: {
    categories: cats(
      'oolong:烏龍茶,black-tea:紅茶,green-tea:綠茶,white-tea:白茶,puer:普洱茶,flower-tea:花茶,teaware:茶具,gift-box:茶葉禮盒,dark-tea:黑茶,herbal-tea:花草茶',
    ),
    modifiers: ['高山', '手採', '經典', '嚴選', '冬片', '春茶'],
    specs: ['150g', '300g', '75g罐裝', '禮盒裝'],
    shopSuffix: '茶行',
    industry: '茶業',
    price: [380, 6800],
  },
};

export function themesFor(lang: Lang): Partial<Record<Theme, ThemeWords>> {
  return lang === 'en' ? EN_THEMES : lang === 'zh-TW' ? TW_THEMES : ZH_THEMES;
}

export function themeWords(lang: Lang, theme: Theme): ThemeWords {
  const words = themesFor(lang)[theme];
  if (!words) throw new RangeError(`No ${lang} words for theme ${theme}`);
  return words;
}

/** Themes whose products may carry health claims. */
export const HEALTH_THEMES: ReadonlySet<Theme> = new Set(['health', 'pharmacy', 'tea', 'cosmetics']);

/** Brand words used in product names. */
export const PRODUCT_BRANDS: Record<Lang, string[]> = {
  'zh-CN': ['云帆', '青山', '春晓', '木语', '悦然', '初心', '森屿', '暖阳', '溪谷', '拾光', '知行', '南风'],
  'zh-TW': ['阿里山', '梨山', '鹿谷', '坪林', '杉林溪'],
  en: ['Northwind', 'Lumen', 'Cedar', 'Harbor', 'Summit', 'Bluebird', 'Oakline', 'Maple'],
};
