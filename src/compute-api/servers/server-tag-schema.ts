import { Type } from '@sinclair/typebox';

/** Nova's limit on tags per server (`objects.instance.MAX_TAG_COUNT`). */
export const MAX_SERVER_TAGS = 50;

/** One server tag: 1 to 60 characters, no '/' (it would split the URL) and no ',' (the list filters' separator). */
export const ServerTag = Type.String({ minLength: 1, maxLength: 60, pattern: '^[^,/]*$' });

/** A list of tags, as `tags` at create (2.52+) and `PUT /servers/{id}/tags` take it. */
export const ServerTagList = Type.Array(ServerTag, { maxItems: MAX_SERVER_TAGS });

/** `PUT /servers/{id}/tags` body. */
export const ReplaceServerTagsBody = Type.Object({ tags: ServerTagList }, { additionalProperties: false });
