// The official JavaScript driver's time for the same extraction: neo2pg's
// two queries in one read transaction, every record turned into a JSON
// line (integers exact, temporal values, points and durations in the
// driver's string forms, bytes in hex) and written to OUT.
//
//   NEO4J_DRIVER=.../node_modules/neo4j-driver NEO4J_PASSWORD=... \
//     node bench/js_stream.cjs bolt://127.0.0.1:PORT OUT
//
// The fetch size is the driver's default, 1000, as neo2pg's.
'use strict';
const neo4j = require(process.env.NEO4J_DRIVER || 'neo4j-driver');
const fs = require('fs');

const QUERIES = [
	'MATCH (n) RETURN n',
	'MATCH ()-[r]->() RETURN id(r), type(r), id(startNode(r)), id(endNode(r)), properties(r), elementId(r)',
];

function plain(v) {
	if (typeof v === 'bigint') return v.toString();
	if (v instanceof Int8Array || v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.length).toString('hex');
	if (Array.isArray(v)) return v.map(plain);
	if (v !== null && typeof v === 'object') {
		if (neo4j.isDate(v) || neo4j.isDateTime(v) || neo4j.isLocalDateTime(v) || neo4j.isTime(v) ||
			neo4j.isLocalTime(v) || neo4j.isDuration(v) || neo4j.isPoint(v))
			return v.toString();
		const o = {};
		for (const k of Object.keys(v)) o[k] = plain(v[k]);
		return o;
	}
	return v;
}

async function main() {
	const [uri, out] = process.argv.slice(2);
	const driver = neo4j.driver(uri, neo4j.auth.basic(process.env.NEO4J_USERNAME || 'neo4j', process.env.NEO4J_PASSWORD),
		{ useBigInt: true });
	const fd = fs.openSync(out, 'w');
	const session = driver.session({ defaultAccessMode: neo4j.session.READ });
	let rows = 0;
	let pending = [];
	const flush = () => { fs.writeSync(fd, pending.join('')); pending = []; };
	try {
		await session.executeRead(async tx => {
			for (const q of QUERIES) {
				const result = tx.run(q);
				for await (const rec of result) {
					pending.push(JSON.stringify(plain(rec._fields)) + '\n');
					if (++rows % 1000 === 0) flush();
				}
			}
		});
		flush();
	} finally {
		await session.close();
		await driver.close();
		fs.closeSync(fd);
	}
	process.stderr.write(`records ${rows}\n`);
}

main().catch(e => { console.error(e); process.exit(1); });
