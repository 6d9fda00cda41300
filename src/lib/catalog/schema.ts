/**
 * Shape of the catalog of well-known images: the zod schemas that every data file under `data/` must
 * satisfy, and the TypeScript types derived from them.
 *
 * Two kinds of file exist: `common.yaml` (variables shared by many images, see {@link commonFileSchema})
 * and one file per application family holding one entry or a list of entries
 * (see {@link catalogEntrySchema}).
 *
 * Loading this module loads zod: the catalog is read from its compiled form without it, and
 * load-catalog.ts loads the schemas only when YAML must be validated.
 */
import { z } from 'zod';
import { CATALOG_ROLES } from './roles.ts';

export { CATALOG_ROLES };

/** One of {@link CATALOG_ROLES}. */
export const catalogRoleSchema = z.enum(CATALOG_ROLES);

/** A role such as `database` or `reverse-proxy`. */
export type CatalogRole = z.infer<typeof catalogRoleSchema>;

// Prose fields end up verbatim in wiki pages, so hold them to "one finished sentence or two".
const sentence = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(400, 'must be at most 400 characters; keep catalog prose short')
  .regex(/[.!?]$/, 'must be a sentence ending with a period');

const kebabId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, single dashes)');

// Repository without tag or digest, lower case, an optional registry host (with port) in front.
const imageRepository = z
  .string()
  .regex(
    /^(?:[a-z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*$/,
    'must be an image repository in lower case without tag or digest, e.g. ghcr.io/goauthentik/server',
  );

// A variable name, or a glob over names where `*` stands for one or more characters.
const variablePattern = z
  .string()
  .regex(/^[A-Za-z_*][A-Za-z0-9_*]*$/, 'must be a variable name or a glob such as PREFIX_* (letters, digits, _ and *)');

const groupPrefix = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable-name prefix such as AUTHENTIK_POSTGRESQL__');

const containerPath = z.string().regex(/^\/\S*$/, 'must be an absolute container path');

const port = z.number().int().min(1).max(65535);

/** Map of variable name or glob pattern to the purpose of that variable (one short sentence). */
export const environmentMapSchema = z.record(variablePattern, sentence);

/** Map of variable-name prefix to the purpose of the group of variables sharing it. */
export const groupMapSchema = z.record(groupPrefix, sentence);

/** Map of container path to what is stored there. */
export const volumeMapSchema = z.record(containerPath, sentence);

/**
 * A way of running the same image for a different job, recognised by its command, e.g. the authentik
 * image run with `command: worker`. Fields given here replace those of the entry for that container.
 */
export const catalogVariantSchema = z.strictObject({
  /** The word that selects the variant: the first word of the command (or the second, after a program name). */
  command: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be a single command word'),
  name: z.string().trim().min(1).optional(),
  description: sentence,
  roles: z.array(catalogRoleSchema).min(1).optional(),
  /** `null` says that this variant listens on no port. */
  defaultPort: port.nullable().optional(),
  /** Notes added to those of the entry. */
  notes: z.array(sentence).optional(),
});

/** Read-only all the way down: loaded catalog data is frozen. */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A variant of an entry, as written in a data file. */
export type CatalogVariant = DeepReadonly<z.infer<typeof catalogVariantSchema>>;

/** URL scheme or wire protocol clients use to reach a database, cache or broker. */
const protocol = z.string().regex(/^[a-z][a-z0-9+.-]*$/, 'must be a lower-case protocol or URL scheme such as postgres');

/**
 * One catalogued application, as written in a data file. An entry with `extends` inherits every field
 * it leaves out from the named entry (maps are merged, notes are appended), so image flavours such as
 * `pgvector/pgvector` need not repeat the variables of `postgres`.
 */
export const catalogEntrySchema = z
  .strictObject({
    id: kebabId,
    name: z.string().trim().min(1),
    extends: kebabId.optional(),
    images: z.array(imageRepository).min(1),
    description: sentence,
    homepage: z.url({ protocol: /^https?$/ }).optional(),
    category: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be one lower-case word (dashes allowed)').optional(),
    roles: z.array(catalogRoleSchema).min(1).optional(),
    protocol: protocol.optional(),
    defaultPort: port.optional(),
    env: environmentMapSchema.optional(),
    groups: groupMapSchema.optional(),
    volumes: volumeMapSchema.optional(),
    notes: z.array(sentence).optional(),
    variants: z.array(catalogVariantSchema).optional(),
  })
  .superRefine((entry, context) => {
    // Only an entry that inherits may leave out what every page needs.
    if (entry.extends !== undefined) return;
    for (const field of ['homepage', 'category', 'roles'] as const) {
      if (entry[field] === undefined) {
        context.addIssue({ code: 'custom', path: [field], message: `is required unless the entry has "extends"` });
      }
    }
  });

/** An entry exactly as written in a data file (optional fields may be missing). */
export type CatalogEntryData = z.infer<typeof catalogEntrySchema>;

/** Variables that mean the same in every image of a kind (linuxserver.io) or in most images (generic). */
export const commonFileSchema = z.strictObject({
  linuxserver: z.strictObject({
    /** Image namespaces published by linuxserver.io, e.g. `lscr.io/linuxserver`. */
    namespaces: z.array(imageRepository).min(1),
    env: environmentMapSchema,
    groups: groupMapSchema.optional(),
    volumes: volumeMapSchema.optional(),
    notes: z.array(sentence).optional(),
  }),
  generic: z.strictObject({
    env: environmentMapSchema,
    groups: groupMapSchema.optional(),
    volumes: volumeMapSchema.optional(),
  }),
});

/** The content of `common.yaml`. */
export type CommonFileData = z.infer<typeof commonFileSchema>;

type Resolved<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

/**
 * A catalog entry after loading: inheritance resolved, maps and lists present (possibly empty), frozen.
 * `file` names the data file it came from; `variant` is set on the entry `findCatalogEntry` returns
 * when a command selected one of the entry's variants.
 */
export type CatalogEntry = DeepReadonly<
  Resolved<
    Pick<CatalogEntryData, 'id' | 'name' | 'images' | 'description' | 'category' | 'roles' | 'env' | 'groups' | 'volumes' | 'notes' | 'variants'>
  > &
    Pick<CatalogEntryData, 'extends' | 'homepage' | 'protocol' | 'defaultPort'> & {
      file: string;
      variant?: CatalogVariant;
    }
>;

/** Variables and volumes shared by a family of images or by images in general, after loading. */
export interface CommonVariables {
  readonly env: Readonly<Record<string, string>>;
  readonly groups: Readonly<Record<string, string>>;
  readonly volumes: Readonly<Record<string, string>>;
}

/** The whole catalog, as `loadCatalog` returns it (frozen). */
export interface Catalog {
  /** Entries in file-name order, then in order of writing. */
  readonly entries: readonly CatalogEntry[];
  /** Normalised image repository (see `normaliseImageRepository`) to its entry. */
  readonly byImage: ReadonlyMap<string, CatalogEntry>;
  readonly byId: ReadonlyMap<string, CatalogEntry>;
  readonly linuxserver: CommonVariables & {
    readonly namespaces: readonly string[];
    readonly notes: readonly string[];
  };
  readonly generic: CommonVariables;
  /** Data files read, absolute paths in the order read. */
  readonly files: readonly string[];
}
