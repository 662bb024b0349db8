import type { Lang } from '../types.js';

/** Interface words of a shop page in one language. */
export interface Labels {
  home: string;
  about: string;
  cart: string;
  categories: string;
  addToCart: string;
  buyNow: string;
  originalPrice: string;
  phone: string;
  email: string;
  address: string;
  uscc: string;
  companyInfo: string;
  rightsReserved: string;
  related: string;
  share: string;
  friendLinks: string;
  merchantLogin: string;
  details: string;
  search: string;
  sortPrice: string;
  sortSales: string;
  featured: string;
  promo: string;
  aboutIntro: string;
  cartEmpty: string;
  signIn: string;
  close: string;
  /** Labels of ad containers, in rotation. */
  adLabels: string[];
  sponsored: string;
  icpBadgeAlt: string;
  discount: string;
}

export const LABELS: Record<Lang, Labels> = {
  'zh-CN': {
    home: '首页',
    about: '关于我们',
    cart: '购物车',
    categories: '全部分类',
    addToCart: '加入购物车',
    buyNow: '立即购买',
    originalPrice: '原价',
    phone: '客服电话',
    email: '邮箱',
    address: '地址',
    uscc: '统一社会信用代码',
    companyInfo: '营业执照信息',
    rightsReserved: '版权所有',
    related: '相关商品',
    share: '分享到',
    friendLinks: '友情链接',
    merchantLogin: '商家后台',
    details: '商品详情',
    search: '搜索',
    sortPrice: '按价格',
    sortSales: '按销量',
    featured: '热卖推荐',
    promo: '新人专享 满199减20',
    aboutIntro: '我们专注为顾客提供放心好物，坚持正品保障与贴心服务。',
    cartEmpty: '购物车还是空的，去逛逛吧。',
    signIn: '登录',
    close: '关闭',
    adLabels: ['广告', '推广', '赞助'],
    sponsored: '推广',
    icpBadgeAlt: '电子营业执照',
    discount: '限时1折',
  },
  'zh-TW': {
    home: '首頁',
    about: '關於我們',
    cart: '購物車',
    categories: '全部分類',
    addToCart: '加入購物車',
    buyNow: '立即購買',
    originalPrice: '原價',
    phone: '客服電話',
    email: '電子郵件',
    address: '地址',
    uscc: '統一社會信用代碼',
    companyInfo: '公司資訊',
    rightsReserved: '版權所有',
    related: '相關商品',
    share: '分享到',
    friendLinks: '友情連結',
    merchantLogin: '商家後台',
    details: '商品詳情',
    search: '搜尋',
    sortPrice: '依價格',
    sortSales: '依銷量',
    featured: '熱賣推薦',
    promo: '新會員 滿NT$1,000折NT$100',
    aboutIntro: '我們專注於高山好茶，堅持產地直送與貼心服務。',
    cartEmpty: '購物車還是空的。',
    signIn: '登入',
    close: '關閉',
    adLabels: ['廣告'],
    sponsored: '贊助',
    icpBadgeAlt: '營業登記',
    discount: '限時1折',
  },
  en: {
    home: 'Home',
    about: 'About us',
    cart: 'Cart',
    categories: 'Shop by category',
    addToCart: 'Add to cart',
    buyNow: 'Buy now',
    originalPrice: 'Was',
    phone: 'Phone',
    email: 'Email',
    address: 'Address',
    uscc: 'USCC',
    companyInfo: 'Company information',
    rightsReserved: 'All rights reserved',
    related: 'You may also like',
    share: 'Share',
    friendLinks: 'Our partners',
    merchantLogin: 'Seller login',
    details: 'Details',
    search: 'Search',
    sortPrice: 'Price',
    sortSales: 'Popular',
    featured: 'Featured',
    promo: 'Free shipping on orders over $50',
    aboutIntro: 'We ship carefully chosen goods from our Hangzhou warehouse to customers worldwide.',
    cartEmpty: 'Your cart is empty.',
    signIn: 'Sign in',
    close: 'Close',
    adLabels: ['Sponsored', 'Advertisement', 'Ad'],
    sponsored: 'Sponsored',
    icpBadgeAlt: 'Business licence',
    discount: '90% off today',
  },
};
