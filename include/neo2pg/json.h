/*-------------------------------------------------------------------------
 *
 * json.h
 *	  A streaming reader for the JSON dialect Python's json module writes
 *	  (bare NaN/Infinity/-Infinity, \u escapes with surrogate pairs,
 *	  \u0000 inside strings, 64-bit integers).
 *
 * The reader pulls bytes from an N2pInput and hands back one element of the
 * top-level array at a time, built as an N2pValue in the caller's arena, so
 * a chunk of any size is read in memory bounded by its largest row.
 *
 * Number typing follows Python's output: a token with '.', 'e' or 'E' or one
 * of NaN/Infinity/-Infinity is a FLOAT; any other is an INT and must fit in
 * int64 (otherwise N2P_ERR_DATA).  Objects become N2P_MAP with keys in
 * document order (each name once: see n2p_json_next), arrays N2P_LIST,
 * null N2P_NULL.  Strings are decoded to
 * UTF-8 (and may contain NUL bytes); a lone surrogate, a raw control
 * character or invalid UTF-8 is N2P_ERR_SYNTAX.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/json.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_JSON_H
#define NEO2PG_JSON_H

#include "neo2pg/input.h"
#include "neo2pg/value.h"

typedef struct N2pJsonReader N2pJsonReader;

/* Nesting deeper than this is N2P_ERR_LIMIT. */
#define N2P_JSON_MAX_DEPTH 64

/* The reader does not own in; close in after freeing the reader. */
N2pJsonReader *n2p_json_reader_new(N2pInput *in, const N2pAllocator *alloc,
								   N2pError *err);

/*
 * Read the next element of the top-level array into *out.  Returns 1 for an
 * element, 0 after the closing ']' (only whitespace may follow until the end
 * of input), -1 on error (err->offset is the byte offset of the problem).
 * The first call consumes the opening '['.
 *
 * A name given twice within one object, at any depth, is an N2P_ERR_DATA
 * error naming it in err->key.  The element is still read whole into *out
 * so that the caller can name it, and n2p_json_resumable() says so: the
 * next call goes on with the next element.
 */
int			n2p_json_next(N2pJsonReader *r, N2pArena *arena, N2pValue *out,
						  N2pError *err);

/* Did the last -1 of n2p_json_next leave a whole element and a usable reader? */
bool		n2p_json_resumable(const N2pJsonReader *r);

/* Parse a whole document (any JSON value) in one go; 1 ok, -1 error. */
int			n2p_json_parse_document(N2pJsonReader *r, N2pArena *arena,
									N2pValue *out, N2pError *err);

/*
 * Parse a whole document held in memory (data[0..len)), with a reader made
 * with no input (n2p_json_reader_new(NULL, ...)); the reader can be used
 * again for the next document.  1 ok, -1 error.
 */
int			n2p_json_parse_mem(N2pJsonReader *r, const char *data, size_t len,
							   N2pArena *arena, N2pValue *out, N2pError *err);

/* Inflated bytes consumed so far. */
uint64_t	n2p_json_offset(const N2pJsonReader *r);

void		n2p_json_reader_free(N2pJsonReader *r);

#endif							/* NEO2PG_JSON_H */
