/**
 * Board versions as the HTTP APIs show them (sync server internal API -> app API -> browser and
 * scripts). One schema, so each hop validates what it receives.
 */
import { z } from 'zod';

export const VERSION_KINDS = ['auto', 'named', 'pre-restore'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

export const MAX_VERSION_NAME = 100;

export const versionMetaSchema = z.object({
  /** Unique per board, increasing with time. */
  id: z.number().int().min(1),
  /** ms since epoch */
  createdAt: z.number().int(),
  kind: z.enum(VERSION_KINDS),
  name: z.string().max(MAX_VERSION_NAME).nullable(),
  /** Display names of who edited since the previous version (from their tokens). */
  editors: z.array(z.string().max(64)).max(50),
  /** Shapes added, changed and removed since the previous version. */
  added: z.number().int().min(0),
  changed: z.number().int().min(0),
  removed: z.number().int().min(0),
  shapeCount: z.number().int().min(0),
  /** Stored (compressed) bytes of this version's own row. */
  bytes: z.number().int().min(0),
  /** The board's demo checkpoint ("Reset to checkpoint" restores it). */
  checkpoint: z.boolean(),
});
export type VersionMeta = z.infer<typeof versionMetaSchema>;

export const versionListSchema = z.object({
  versions: z.array(versionMetaSchema),
  /** Versions whose stored state failed to load (corrupt rows): listed so the panel can say so. */
  corrupt: z.array(z.number().int()).default([]),
});
export type VersionList = z.infer<typeof versionListSchema>;

/** Body of "Save version…" / a script's named version. */
export const createVersionSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(MAX_VERSION_NAME).optional(),
    kind: z.enum(['named', 'pre-restore']).default('named'),
  })
  .strict();
