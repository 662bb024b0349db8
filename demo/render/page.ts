import type { PageTruth, SiteTruth } from '../types.js';
import type { RenderContext } from './html.js';
import { renderAdvertiserPage, renderLabIndex, renderMallPage, renderServicePage } from './other.js';
import {
  renderAdmin,
  renderCart,
  renderCategory,
  renderProduct,
  renderShopAbout,
  renderShopHome,
} from './shop.js';

/** HTML of a ground-truth page (a string; the server encodes it in the site's charset). */
export function renderPage(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  switch (site.type) {
    case 'platform':
      return renderMallPage(ctx, site, page);
    case 'service_provider':
      return renderServicePage(ctx, site, page);
    case 'advertiser':
      return renderAdvertiserPage(ctx, site, page);
    case 'lab':
      return renderLabIndex(ctx, site, page);
    default:
      return renderShopPage(ctx, site, page);
  }
}

function renderShopPage(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  switch (page.kind) {
    case 'product':
      return renderProduct(ctx, site, page);
    case 'category':
      return renderCategory(ctx, site, page);
    case 'about':
      return renderShopAbout(ctx, site, page);
    case 'cart':
      return renderCart(ctx, site, page);
    case 'admin':
      return renderAdmin(ctx, site, page);
    default:
      return renderShopHome(ctx, site, page);
  }
}
