import { readFileSync } from "node:fs";
import path from "node:path";
import internals from "@prisma/internals";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Fails when prisma/schema.prisma and the database built by prisma/migrations disagree: a table, a column, its
// type, nullability or default, an index, a unique constraint or a foreign key. (Prisma Migrate cannot run
// offline here, so this compares Prisma's own reading of the schema with the migrated catalog.)

type Dmmf = Awaited<ReturnType<typeof internals.getDMMF>>;
type Model = Dmmf["datamodel"]["models"][number];
type Field = Model["fields"][number];

let dmmf: Dmmf;
let unsupported: Map<string, UnsupportedField[]>;
let client: pg.Client;

beforeAll(async () => {
  const schema = readFileSync(path.resolve("prisma/schema.prisma"), "utf8");
  dmmf = await internals.getDMMF({ datamodel: schema });
  unsupported = unsupportedFields(schema);
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
});

const tableName = (model: Model) => model.dbName ?? model.name;
const columnName = (field: Field) => field.dbName ?? field.name;

interface UnsupportedField {
  name: string;
  column: string;
  /** The database type as written in Unsupported("..."), e.g. tsvector. */
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

/** DMMF leaves out `Unsupported("...")` fields (a tsvector, say), so they are read from the schema's text. */
function unsupportedFields(schema: string): Map<string, UnsupportedField[]> {
  const byModel = new Map<string, UnsupportedField[]>();
  for (const [, model, body] of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    for (const [, name, type, optional, rest] of body!.matchAll(/^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?(.*)$/gm)) {
      const column = /@map\("([^"]+)"\)/.exec(rest!)?.[1] ?? name!;
      const field = { name: name!, column, type: type!, notNull: !optional, hasDefault: rest!.includes("@default(") };
      byModel.set(model!, [...(byModel.get(model!) ?? []), field]);
    }
  }
  return byModel;
}

/** The column of a field an index names, Unsupported fields included. */
function indexColumn(model: Model, fieldName: string): string {
  const field = model.fields.find((x) => x.name === fieldName);
  if (field) return columnName(field);
  const other = unsupported.get(model.name)?.find((x) => x.name === fieldName);
  if (!other) throw new Error(`Index on unknown field ${model.name}.${fieldName}`);
  return other.column;
}

function expectedType(field: Field): string {
  const native = field.nativeType?.[0];
  const args = (field.nativeType?.[1] ?? []) as string[];
  switch (native) {
    case "Uuid":
      return "uuid";
    case "Timestamptz":
      return `timestamp(${args[0] ?? 3}) with time zone`;
    case "Timestamp":
      return `timestamp(${args[0] ?? 3}) without time zone`;
    case "VarChar":
      return args.length ? `character varying(${args[0]})` : "character varying";
    case "Text":
      return "text";
    case "JsonB":
      return "jsonb";
    case undefined:
      break;
    default:
      throw new Error(`The drift test does not know native type @db.${native} yet: add it to expectedType().`);
  }
  const scalar: Record<string, string> = {
    String: "text",
    Int: "integer",
    BigInt: "bigint",
    Boolean: "boolean",
    DateTime: "timestamp(3) without time zone",
    Json: "jsonb",
    Float: "double precision",
    Decimal: "numeric(65,30)",
    Bytes: "bytea",
  };
  const type = field.kind === "enum" ? field.type : scalar[field.type];
  if (!type) throw new Error(`Unknown Prisma type ${field.type}`);
  return field.isList ? `${type}[]` : type;
}

/** Whether the database must have a default for this field (Prisma generates uuid()/cuid() itself). */
function expectsDatabaseDefault(field: Field): boolean {
  const value = field.default as { name?: string } | string | number | boolean | undefined;
  if (value === undefined) return false;
  if (typeof value === "object" && value && "name" in value) return ["now", "autoincrement", "dbgenerated", "sequence"].includes(value.name!);
  return true;
}

describe("schema.prisma matches the migrated database", () => {
  it("has the same tables", async () => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(dmmf.datamodel.models.map(tableName).sort());
  });

  it("has the same columns, types, nullability and defaults", async () => {
    for (const model of dmmf.datamodel.models) {
      const { rows } = await client.query<{ column_name: string; type: string; not_null: boolean; has_default: boolean }>(
        `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
                a.atthasdef AS has_default
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped`,
        [tableName(model)],
      );
      const actual = Object.fromEntries(rows.map((r) => [r.column_name, { type: r.type, notNull: r.not_null, hasDefault: r.has_default }]));
      const expected = Object.fromEntries(
        model.fields
          .filter((f) => f.kind === "scalar" || f.kind === "enum")
          .map((f) => [columnName(f), // Prisma's own migrations leave scalar lists nullable in the database, whatever the schema says.
          { type: expectedType(f), notNull: f.isRequired && !f.isList, hasDefault: expectsDatabaseDefault(f) }]),
      );
      for (const field of unsupported.get(model.name) ?? []) {
        expected[field.column] = { type: field.type, notNull: field.notNull, hasDefault: field.hasDefault };
      }
      expect({ table: tableName(model), columns: actual }).toEqual({ table: tableName(model), columns: expected });
    }
  });

  it("has the same primary keys, unique constraints and indexes", async () => {
    const { rows } = await client.query<{ table: string; columns: string[]; is_unique: boolean; is_primary: boolean }>(
      `SELECT t.relname AS table, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
              array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`,
    );
    const actual = rows.map((r) => `${r.table}(${r.columns.join(",")}) ${r.is_primary ? "primary" : r.is_unique ? "unique" : "index"}`).sort();
    const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
    const expected = dmmf.datamodel.indexes
      .map((index) => {
        const model = models.get(index.model)!;
        const cols = index.fields.map((f) => indexColumn(model, f.name));
        const kind = index.type === "id" ? "primary" : index.type === "unique" ? "unique" : "index";
        return `${tableName(model)}(${cols.join(",")}) ${kind}`;
      })
      .sort();
    expect(actual).toEqual(expected);
  });

  it("has the same foreign keys and delete rules", async () => {
    const { rows } = await client.query<{ table: string; columns: string[]; references: string; on_delete: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS references,
              c.confdeltype::text AS on_delete,
              array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = 'public'`,
    );
    const deleteRule: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };
    const actual = rows.map((r) => `${r.table}(${r.columns.join(",")}) -> ${r.references} on delete ${deleteRule[r.on_delete]}`).sort();
    const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
    const expected = dmmf.datamodel.models
      .flatMap((model) =>
        model.fields
          .filter((f) => f.kind === "object" && f.relationFromFields && f.relationFromFields.length > 0)
          .map((f) => {
            const cols = f.relationFromFields!.map((name) => columnName(model.fields.find((x) => x.name === name)!));
            const target = tableName(models.get(f.type)!);
            const onDelete = (f.relationOnDelete as string | undefined) ?? (f.isRequired ? "Restrict" : "SetNull");
            return `${tableName(model)}(${cols.join(",")}) -> ${target} on delete ${onDelete}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});
