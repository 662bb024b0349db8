import { defineIndex } from './definition.js';
import { boolean, date, jurisdiction, keyword, lowercaseKeyword, textWithKeyword } from './fields.js';

/** `users`: staff and public accounts; the password hash is stored, never indexed, never returned. */
export const usersDefinition = defineIndex('users', {
  id: keyword(),
  username: keyword(),
  display_name: textWithKeyword(),
  role: keyword(),
  scope_node_id: keyword(),
  /** Ref of the scope node, so a county lists the staff of its stations with one filter. */
  jurisdiction: jurisdiction(),
  email: lowercaseKeyword(),
  disabled: boolean(),
  password_hash: { type: 'keyword', index: false, doc_values: false },
  created_at: date(),
  updated_at: date(),
});
