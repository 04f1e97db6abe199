/*-------------------------------------------------------------------------
 *
 * verify.h
 *	  Comparing two graphs in bounded memory: each side's records become
 *	  canonical lines, the caller sorts them (files, sort(1)), and the
 *	  comparison merges two sorted line streams.
 *
 * A line is fields separated by 0x01 and ended by '\n'.  Each field is a
 * canonical binary encoding with 0x00, 0x01, 0x02 and '\n' escaped as 0x02
 * followed by the byte + 0x40 (only strings can hold them: canon.c), so
 * that the separator is the smallest byte
 * of a line: the order of whole lines under memcmp (sort(1) in the C
 * locale) is then the order of their field tuples, each field compared by
 * its escaped bytes, shorter first.  The merge compares lines the same way.
 *
 * The lines (hex ids are 16 digits of the id with its sign bit flipped, so
 * that they sort as numbers; a hash is 32 hex digits of SHA-256):
 *	 node, by id			id | labels | props
 *	 node, by content		labels | props | id
 *	 node hash, by id		id | hash of (labels | props)
 *	 relationship, by id	id | type | start id | end id | props
 *	 relationship, by start	start id | id | type | end id | props
 *	 relationship, by end	end id | id | type | start hash | props | start id
 *	 relationship, content	type | start hash | end hash | props | id | start id | end id
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/verify.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_VERIFY_H
#define NEO2PG_VERIFY_H

#include "neo2pg/stream.h"

#define N2P_VERIFY_SEP '\x01'

/* What a line file holds, which tells its key and payload fields. */
typedef enum N2pVerifyLines
{
	N2P_VL_NODE_ID,
	N2P_VL_NODE_CONTENT,
	N2P_VL_REL_ID,
	N2P_VL_REL_CONTENT
} N2pVerifyLines;

/* Scratch space for encoding, reused from record to record. */
typedef struct N2pVerifyEnc
{
	const N2pAllocator *alloc;
	N2pBuf		raw;
	size_t	   *order;
	size_t		order_cap;
	int			depth;
	bool		escape;			/* strings escaped as in a line (set by record_line) */
} N2pVerifyEnc;

void		n2p_verify_enc_init(N2pVerifyEnc *enc, const N2pAllocator *alloc);
void		n2p_verify_enc_free(N2pVerifyEnc *enc);

/*
 * The canonical binary encoding of one value, appended to out: unescaped,
 * or with its strings escaped as in a line when enc->escape is set (no
 * other byte of it is below 0x40).
 */
bool		n2p_verify_encode_value(N2pVerifyEnc *enc, const N2pValue *v, N2pBuf *out);

/* A label set: its count and the labels in byte order, each once. */
bool		n2p_verify_encode_labels(N2pVerifyEnc *enc, const N2pStr *labels, size_t n, N2pBuf *out);

/* p[0..n) escaped as in a line, appended to out. */
bool		n2p_verify_escape(N2pBuf *out, const char *p, size_t n);

/* Decode one canonical value (unescaped) from p[0..len); returns the bytes used, 0 if malformed. */
size_t		n2p_verify_decode_value(const uint8_t *p, size_t len, N2pArena *arena, N2pValue *out);

/* A record's by-id line (node or relationship), '\n' included, appended to out. */
bool		n2p_verify_record_line(N2pVerifyEnc *enc, const N2pRecord *rec, N2pBuf *out,
								   N2pError *err);

/*
 * Compare two lines on their first nfields fields (all of them when
 * nfields is 0), as sort(1) orders whole lines: <0, 0, >0.
 */
int			n2p_verify_line_cmp(const char *a, size_t alen, const char *b, size_t blen,
								int nfields);

/* Lines in, lines out, through the caller's files. */
typedef struct N2pLineReader
{
	/* 1: *line (without '\n', valid until the next call); 0: end; -1: error */
	int			(*next) (void *ctx, const char **line, size_t *len, N2pError *err);
	void	   *ctx;
} N2pLineReader;

typedef struct N2pLineWriter
{
	/* line includes its '\n' */
	bool		(*write) (void *ctx, const char *line, size_t len, N2pError *err);
	void	   *ctx;
} N2pLineWriter;

/*
 * Content matching, step by step (each output to be sorted by the caller
 * before the next step reads it):
 *	 nodes by id -> nodes by content (unsorted) and node hashes (sorted by id)
 *	 relationships by id -> by start (unsorted)
 *	 by start + hashes -> by end (unsorted)
 *	 by end + hashes -> content (unsorted)
 */
bool		n2p_verify_nodes_content(N2pLineReader *nodes, N2pLineWriter *content,
									 N2pLineWriter *hashes, const N2pAllocator *alloc,
									 N2pError *err);
bool		n2p_verify_rels_by_start(N2pLineReader *rels, N2pLineWriter *out,
									 const N2pAllocator *alloc, N2pError *err);
bool		n2p_verify_rels_join(N2pLineReader *rels, N2pLineReader *hashes, bool end,
								 N2pLineWriter *out, const N2pAllocator *alloc, N2pError *err);

/* One difference, as a line of text (no newline). */
typedef struct N2pVerifyDiff
{
	const char *text;
	bool		loss;			/* the backup format cannot hold what differs */
} N2pVerifyDiff;

typedef void (*N2pVerifyDiffFn) (void *ctx, const N2pVerifyDiff *diff);

/*
 * Merge two sorted line streams of the same kind and report every
 * difference: a record only on one side, and for a record present on both
 * sides with other values, each label set, type, end node and key that
 * differs.  counts[0] and counts[1] get the number of lines on each side.
 * Returns false on a read error or malformed line (err set).
 */
bool		n2p_verify_compare(N2pVerifyLines kind, N2pLineReader *a, N2pLineReader *b,
							   N2pVerifyDiffFn fn, void *ctx, uint64_t counts[2],
							   const N2pAllocator *alloc, N2pError *err);

/*
 * How two values differ: 0 equal, 1 different, 2 a format loss (a zone id
 * that one side lacks; a byte array that one side holds as Python's
 * str(bytes)), in which case *what names it.
 */
int			n2p_verify_value_cmp(const N2pValue *a, const N2pValue *b, N2pBuf *scratch,
								 const char **what);

/* s in double quotes, with JSON's escapes for quotes, backslashes and control characters */
bool		n2p_verify_quote(N2pBuf *out, N2pStr s);

/* A value as text with its type, for messages: date 2020-01-01, string "x", ... */
bool		n2p_verify_value_text(const N2pValue *v, N2pBuf *out);

#endif							/* NEO2PG_VERIFY_H */
