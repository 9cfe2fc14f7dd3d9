import { z } from 'zod';
import { PromptReference, StorableText } from './common';
import { ProjectQuery } from './executions-query';
import { isViewParam, VIEW_META_PREFIX, VIEW_PARAMS } from './rules';

export const VIEW_NAME_MAX_LENGTH = 100;
/** The longest state, as the canonical query string the server stores. */
export const VIEW_STATE_MAX_LENGTH = 2000;
const VIEW_STATE_MAX_PARAMS = 100;
/** A name that reads as a search param: quoted back in an error, where other text is only counted. */
const PARAM_NAME = /^[A-Za-z][\w.-]{0,39}$/;

/**
 * A view's state: a URL query string of the Logs tab's params ("status=error&range=30d", a leading "?" allowed),
 * read back as its canonical form: empty values dropped, keys sorted (the values of one key keep their order).
 */
export const ViewState = StorableText.max(
  VIEW_STATE_MAX_LENGTH,
  `must have at most ${VIEW_STATE_MAX_LENGTH} characters`,
)
  .transform((text, context) => {
    const params = new URLSearchParams(text.startsWith('?') ? text.slice(1) : text);
    const canonical = new URLSearchParams();
    const unknown = new Set<string>();
    for (const [name, value] of params) {
      if (!isViewParam(name)) unknown.add(name);
      else if (value !== '') canonical.append(name, value);
    }
    canonical.sort();
    const query = canonical.toString();
    if (unknown.size > 0) {
      // Names that read as parameters are quoted back; anything else (a pasted URL, markup) is only counted.
      const named = [...unknown].filter((name) => PARAM_NAME.test(name));
      const others = unknown.size - named.length;
      const listed = [
        ...named.slice(0, 5).map((name) => `"${name}"`),
        ...(others > 0 ? [`${others} ${others === 1 ? 'name that is' : 'names that are'} not a parameter name`] : []),
      ];
      context.addIssue({
        code: 'custom',
        message: `has parameters a view cannot keep (${listed.join(', ')}); a view keeps ${VIEW_PARAMS.join(', ')} and ${VIEW_META_PREFIX}<key>`,
      });
    } else if ([...canonical.keys()].length > VIEW_STATE_MAX_PARAMS) {
      context.addIssue({ code: 'custom', message: `must have at most ${VIEW_STATE_MAX_PARAMS} parameters` });
    } else if (query.length > VIEW_STATE_MAX_LENGTH) {
      context.addIssue({ code: 'custom', message: `must have at most ${VIEW_STATE_MAX_LENGTH} characters as a query` });
    }
    return query;
  })
  .describe(
    `The Logs tab's URL search params, as a query string: ${VIEW_PARAMS.join(', ')} and ${VIEW_META_PREFIX}<key>; stored sorted`,
  );

export const ViewName = StorableText.trim()
  .min(1, 'must not be empty')
  .max(VIEW_NAME_MAX_LENGTH, `must have at most ${VIEW_NAME_MAX_LENGTH} characters`);

export const ListViewsQuery = ProjectQuery.extend({
  promptId: PromptReference.optional().describe(
    "One prompt's views and the project-wide ones; every view the caller may see when absent",
  ),
});
export type ListViewsQuery = z.infer<typeof ListViewsQuery>;

export const ViewIdParams = z.object({ id: z.uuid() });

export const CreateViewRequest = z.object({
  name: ViewName,
  promptId: PromptReference.nullable().describe(
    "The prompt whose Logs tab the view is of; null for a view of every prompt's",
  ),
  state: ViewState,
});
export type CreateViewRequest = z.input<typeof CreateViewRequest>;

export const UpdateViewRequest = z
  .object({ name: ViewName.optional(), state: ViewState.optional() })
  .refine((change) => change.name !== undefined || change.state !== undefined, 'send a new name, a new state or both');
export type UpdateViewRequest = z.input<typeof UpdateViewRequest>;

export const SavedView = z.object({
  id: z.uuid(),
  promptId: z.string().nullable().describe('Null for a view of every prompt'),
  name: z.string(),
  state: z.string().describe('The canonical query string, e.g. "range=30d&status=error"'),
  createdBy: z.string().nullable().describe('Email of the member who saved it; null when unknown'),
  createdAt: z.string(),
  updatedAt: z.string(),
  canEdit: z
    .boolean()
    .describe('Whether the caller may rename, change or delete it: the member who saved it, or an admin'),
});
export type SavedView = z.infer<typeof SavedView>;

export const SavedViewList = z.object({
  items: z.array(SavedView).describe('By name'),
  canCreate: z.boolean().describe('Whether the caller may save views: editors and admins'),
});
export type SavedViewList = z.infer<typeof SavedViewList>;
