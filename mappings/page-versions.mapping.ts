import { defineIndex } from './definition.js';
import { date, integer, keyword, object, text, urlKeyword } from './fields.js';

/** `page-versions`: one document per changed fetch of a page, id `${page_id}:${version}`. */
export const pageVersionsDefinition = defineIndex('page-versions', {
  id: keyword(),
  page_id: keyword(),
  url: urlKeyword(),
  /** The page's site, so content changes can be counted per site (flatline rules). */
  site: keyword(),
  version: integer(),
  fetched_at: date(),
  content_hash: keyword(),
  title: text(),
  text: text(),
  diff: object({
    summary: text(),
    added_chars: integer(),
    removed_chars: integer(),
    changed_fields: keyword(),
  }),
});
