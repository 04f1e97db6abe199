// The official JavaScript driver importing a backup directory into an empty
// Neo4j, the two ways bench/import.sh compares neo2pg with.
//
//   NEO4J_DRIVER=.../node_modules/neo4j-driver NEO4J_PASSWORD=... \
//     node bench/js_import.cjs best|python BACKUP bolt://127.0.0.1:PORT
//
// best: the usual best practice.  Rows are converted to native driver types
//   (integers as Integer, literals as Date, Time, Point...), gathered per
//   label set (per type for relationships) into batches of 10,000 and sent
//   as UNWIND $rows, each batch a write transaction; nodes carry a temporary
//   label and id under a temporary uniqueness constraint, so relationships
//   find both ends through its index.  Label set and type are back-quoted
//   into the query text, as a client without dynamic labels must do.
// python: the Python tool's algorithm (backup-format.md, "What the Python
//   importer does with it"): per chunk and label set UNWIND CREATE with the
//   literal strings as strings, relationships by MATCH on the temporary key,
//   then one query per literal property, each its own auto-commit query.
//   Values still go as parameters, where the tool pastes them into Cypher.
//
// The backup must be written with indent >= 0 (the tool's default 0): one
// value per line, which is what lets integers be told from floats before
// JSON.parse (JavaScript numbers would reach Neo4j as floats).  Both ways
// finish by removing the temporary label, id and constraint.
'use strict';
const neo4j = require(process.env.NEO4J_DRIVER || 'neo4j-driver');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const BATCH = 10000;
const TMP = 'js_import_tmp';
const KEY = 'js_import_id';
const MARK = '\u0001';

const q = s => '`' + s.replace(/`/g, '``') + '`';
const labelsOf = s => (s === '' ? '' : s.split(':').map(q).join(':'));

// Integers and NaN/Infinity tokens become marked strings, decoded by the reviver.
function parseChunk(file) {
	let text = fs.readFileSync(file);
	if (file.endsWith('.gz')) text = zlib.gunzipSync(text);
	text = text.toString('utf8').replace(/^(\s*(?:"(?:[^"\\]|\\.)*":\s*)?)(-?\d+|NaN|-?Infinity)(,?)$/gm,
		(m, pre, num, comma) => `${pre}"\\u0001${num}"${comma}`);
	return JSON.parse(text, (k, v) => {
		if (typeof v !== 'string' || v[0] !== MARK) return v;
		const t = v.slice(1);
		if (t === 'NaN' || t.endsWith('Infinity')) return Number(t);
		return neo4j.int(t);
	});
}

function chunks(dir, kind) {
	return fs.readdirSync(path.join(dir, 'data'))
		.filter(f => f.startsWith(kind + '_'))
		.sort((a, b) => parseInt(a.slice(kind.length + 1)) - parseInt(b.slice(kind.length + 1)))
		.map(f => path.join(dir, 'data', f));
}

const PREFIX = /^\$(point|date|time|datetime|duration)\('?(.*?)'?\)$/s;
const int = neo4j.int;

function offsetSeconds(s) {
	if (s === 'Z') return 0;
	const m = /^([+-])(\d\d):(\d\d)(?::(\d\d))?$/.exec(s);
	const v = +m[2] * 3600 + +m[3] * 60 + +(m[4] || 0);
	return m[1] === '-' ? -v : v;
}

function clock(s) {
	const m = /^(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(.*)$/.exec(s);
	return { h: +m[1], mi: +m[2], sec: +(m[3] || 0), ns: +((m[4] || '').padEnd(9, '0')), rest: m[5] };
}

function durationOf(s) {
	const m = /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)W)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+)(?:\.(\d+))?S)?)?$/.exec(s);
	const n = i => BigInt(m[i] || 0);
	const months = n(1) * 12n + n(2);
	const days = n(3) * 7n + n(4);
	let secs = n(5) * 3600n + n(6) * 60n + n(7);
	let ns = BigInt((m[8] || '').padEnd(9, '0').slice(0, 9) || 0);
	if (m[7] && m[7].startsWith('-')) ns = -ns;
	return new neo4j.types.Duration(int(months.toString()), int(days.toString()), int(secs.toString()), int(ns.toString()));
}

const SRID = { cartesian: 7203, 'cartesian-3d': 9157, 'wgs-84': 4326, 'wgs-84-3d': 4979 };

function pointOf(s) {
	const f = {};
	for (const m of s.matchAll(/(\w+):\s*('([^']*)'|[^,}]+)/g)) f[m[1]] = m[3] !== undefined ? m[3] : m[2].trim();
	const num = x => (x === 'nan' ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : Number(x));
	return new neo4j.types.Point(int(SRID[f.crs]), num(f.x), num(f.y), f.z !== undefined ? num(f.z) : undefined);
}

// A literal string as the native value it stands for, or undefined.
function literal(v) {
	const m = PREFIX.exec(v);
	if (!m) return undefined;
	const [, fn, a] = m;
	if (fn === 'point') return pointOf(a);
	if (fn === 'duration') return durationOf(a);
	if (fn === 'date') {
		const d = /^(-?\d+)-(\d\d)-(\d\d)$/.exec(a);
		return new neo4j.types.Date(int(d[1]), int(d[2]), int(d[3]));
	}
	if (fn === 'time') {
		const c = clock(a);
		return c.rest ? new neo4j.types.Time(c.h, c.mi, c.sec, c.ns, offsetSeconds(c.rest)) :
			new neo4j.types.LocalTime(c.h, c.mi, c.sec, c.ns);
	}
	const d = /^([+-]?\d+)-(\d\d)-(\d\d)T(.*)$/.exec(a);
	const c = clock(d[4]);
	return c.rest ?
		new neo4j.types.DateTime(int(d[1]), +d[2], +d[3], c.h, c.mi, c.sec, c.ns, offsetSeconds(c.rest)) :
		new neo4j.types.LocalDateTime(int(d[1]), +d[2], +d[3], c.h, c.mi, c.sec, c.ns);
}

// Properties with hashed strings restored and literals as native values.
function nativeProps(props, hashed) {
	const out = {};
	for (const k of Object.keys(props)) {
		let v = props[k];
		if (hashed && k in hashed) v = hashed[k];
		else if (typeof v === 'string' && v[0] === '$') {
			const n = literal(v);
			if (n !== undefined) v = n;
		} else if (Array.isArray(v) && v.length && v.every(e => typeof e === 'string' && PREFIX.test(e))) {
			v = v.map(literal);
		}
		out[k] = v;
	}
	return out;
}

async function write(session, query, rows) {
	await session.executeWrite(tx => tx.run(query, { rows }));
}

// Rows gathered per query text, flushed at BATCH rows.
class Batches {
	constructor(session) { this.session = session; this.groups = new Map(); this.sent = 0; }
	async add(query, row) {
		let g = this.groups.get(query);
		if (!g) this.groups.set(query, (g = []));
		g.push(row);
		if (g.length >= BATCH) await this.flush(query);
	}
	async flush(query) {
		const g = this.groups.get(query);
		this.groups.delete(query);
		await write(this.session, query, g);
		this.sent += g.length;
	}
	async flushAll() { for (const k of [...this.groups.keys()]) await this.flush(k); }
}

async function cleanup(session) {
	let n;
	do {
		const r = await session.executeWrite(tx => tx.run(
			`MATCH (n:${TMP}) WITH n LIMIT ${BATCH} REMOVE n:${TMP}, n.${KEY} RETURN count(*) AS c`));
		n = r.records[0].get('c').toNumber();
	} while (n > 0);
	await session.run(`DROP CONSTRAINT ${TMP} IF EXISTS`);
}

async function best(session, dir) {
	const b = new Batches(session);
	for (const f of chunks(dir, 'nodes'))
		for (const r of parseChunk(f)) {
			const l = labelsOf(r.node_labels);
			const p = nativeProps(r.node_props, r.hash_props);
			await b.add(`UNWIND $rows AS row CREATE (n${l ? ':' + l : ''}:${TMP} {${KEY}: row.id}) SET n += row.p`,
				{ id: r.node_id, p });
		}
	await b.flushAll();
	const nodes = b.sent;
	b.sent = 0;
	for (const f of chunks(dir, 'relationships'))
		for (const r of parseChunk(f)) {
			await b.add(`UNWIND $rows AS row MATCH (a:${TMP} {${KEY}: row.s}) MATCH (b:${TMP} {${KEY}: row.e}) ` +
				`CREATE (a)-[r:${q(r.rel_type)}]->(b) SET r += row.p`,
				{ s: r.start_node_id, e: r.end_node_id, p: nativeProps(r.rel_props, r.hash_props) });
		}
	await b.flushAll();
	return [nodes, b.sent];
}

// The Python tool's way: literals as strings first, then one query each.
async function python(session, dir) {
	const fix = [];
	let nodes = 0, rels = 0;
	const plain = (props, hashed) => {
		const out = { ...props };
		for (const k of Object.keys(hashed || {})) out[k] = hashed[k];
		return out;
	};
	const literals = (props, hashed, id, end) => {
		for (const k of Object.keys(props))
			if (!(hashed && k in hashed) && typeof props[k] === 'string' && PREFIX.test(props[k]))
				fix.push({ id, end, k, v: props[k] });
	};
	for (const f of chunks(dir, 'nodes')) {
		const groups = new Map();
		for (const r of parseChunk(f)) {
			if (!groups.has(r.node_labels)) groups.set(r.node_labels, []);
			groups.get(r.node_labels).push({ node_id: r.node_id, node_props: plain(r.node_props, r.hash_props) });
			literals(r.node_props, r.hash_props, r.node_id);
		}
		for (const [ls, rows] of groups) {
			const l = labelsOf(ls);
			await write(session, `UNWIND $rows AS row CREATE (a${l ? ':' + l : ''}:${TMP}) ` +
				`SET a.${KEY} = row.node_id, a += row.node_props`, rows);
			nodes += rows.length;
		}
	}
	for (const f of chunks(dir, 'relationships')) {
		const groups = new Map();
		for (const r of parseChunk(f)) {
			if (!groups.has(r.rel_type)) groups.set(r.rel_type, []);
			groups.get(r.rel_type).push({ s: r.start_node_id, e: r.end_node_id, p: plain(r.rel_props, r.hash_props) });
			literals(r.rel_props, r.hash_props, r.start_node_id, r.end_node_id);
		}
		for (const [t, rows] of groups) {
			await write(session, `UNWIND $rows AS row MATCH (a:${TMP} {${KEY}: row.s}) MATCH (b:${TMP} {${KEY}: row.e}) ` +
				`CREATE (a)-[r:${q(t)}]->(b) SET r += row.p`, rows);
			rels += rows.length;
		}
	}
	// one query per literal property, as the tool does (a relationship
	// found by its two ends, the tool's identity for them)
	for (const x of fix) {
		const [, fn, a] = PREFIX.exec(x.v);
		const arg = fn === 'point' ? '$m' : '$a';
		const m = fn === 'point' ? (p => ({ x: p.x, y: p.y, ...(p.z !== undefined ? { z: p.z } : {}), srid: p.srid }))(pointOf(a)) : undefined;
		const target = x.end !== undefined ? `MATCH (:${TMP} {${KEY}: $id})-[n]->(:${TMP} {${KEY}: $end})` :
			`MATCH (n:${TMP} {${KEY}: $id})`;
		await session.run(`${target} SET n.${q(x.k)} = ${fn}(${arg})`, { id: x.id, end: x.end, a, m });
	}
	process.stderr.write(`literal queries ${fix.length}\n`);
	return [nodes, rels];
}

async function main() {
	const [mode, dir, uri] = process.argv.slice(2);
	const driver = neo4j.driver(uri, neo4j.auth.basic(process.env.NEO4J_USERNAME || 'neo4j', process.env.NEO4J_PASSWORD));
	const session = driver.session();
	try {
		await session.run(`CREATE CONSTRAINT ${TMP} FOR (n:${TMP}) REQUIRE n.${KEY} IS UNIQUE`);
		const [nodes, rels] = await (mode === 'python' ? python : best)(session, dir);
		await cleanup(session);
		process.stderr.write(`nodes ${nodes} relationships ${rels}\n`);
	} finally {
		await session.close();
		await driver.close();
	}
}

main().catch(e => { console.error(e); process.exit(1); });
