/*-------------------------------------------------------------------------
 *
 * packstream.h
 *	  PackStream v1, the value format of the Bolt protocol: an encoder that
 *	  appends to an N2pBuf and a decoder of one complete message.
 *
 * The decoder reads bytes that came over the network, so it trusts none of
 * them: every length is checked against the bytes that remain (a list of
 * n items needs at least n bytes, so no count can make it allocate more
 * than the message's own size), nesting is capped, and an unknown marker
 * or structure tag is an error, never a guess.
 *
 * Structures that are property values (Date, Time, LocalTime, DateTime,
 * LocalDateTime, Duration, Point2D, Point3D) become values of the model.
 * The rest (Node, Relationship, UnboundRelationship, Path, and a DateTime
 * with a zone id, whose offset needs a time-zone database) become
 * N2P_STRUCT values with their fields checked for count and type.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/packstream.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_PACKSTREAM_H
#define NEO2PG_PACKSTREAM_H

#include "neo2pg/value.h"

/* Structure tags (signature bytes) of the value structures. */
#define N2P_PS_NODE				0x4E	/* 'N' */
#define N2P_PS_RELATIONSHIP		0x52	/* 'R' */
#define N2P_PS_UNBOUND_REL		0x72	/* 'r' */
#define N2P_PS_PATH				0x50	/* 'P' */
#define N2P_PS_DATE				0x44	/* 'D' */
#define N2P_PS_TIME				0x54	/* 'T' */
#define N2P_PS_LOCALTIME		0x74	/* 't' */
#define N2P_PS_DATETIME			0x49	/* 'I': UTC seconds, Bolt 5 */
#define N2P_PS_DATETIME_ZONE	0x69	/* 'i': UTC seconds + zone id, Bolt 5 */
#define N2P_PS_DATETIME_LEGACY	0x46	/* 'F': local seconds, Bolt 4 */
#define N2P_PS_DATETIME_ZONE_LEGACY 0x66	/* 'f': local seconds + zone id */
#define N2P_PS_LOCALDATETIME	0x64	/* 'd' */
#define N2P_PS_DURATION			0x45	/* 'E' */
#define N2P_PS_POINT2D			0x58	/* 'X' */
#define N2P_PS_POINT3D			0x59	/* 'Y' */

/* Nesting cap of the decoder; Neo4j's own values nest two or three deep. */
#define N2P_PS_MAX_DEPTH 32

/* ------------------------------------------------------------- encoding */

bool		n2p_ps_put_null(N2pBuf *buf);
bool		n2p_ps_put_bool(N2pBuf *buf, bool b);
bool		n2p_ps_put_int(N2pBuf *buf, int64_t i);
bool		n2p_ps_put_float(N2pBuf *buf, double f);
bool		n2p_ps_put_string(N2pBuf *buf, const char *s, size_t len);
bool		n2p_ps_put_bytes(N2pBuf *buf, const void *p, size_t len);
bool		n2p_ps_put_list_header(N2pBuf *buf, size_t n);
bool		n2p_ps_put_map_header(N2pBuf *buf, size_t n);
bool		n2p_ps_put_struct_header(N2pBuf *buf, uint8_t tag, size_t nfields);

/*
 * Any model value.  utc selects the Bolt 5 DateTime structures (UTC
 * seconds); Bolt 4.4 without the "utc" patch wants local seconds.  A
 * DateTime with a zone id is sent with its zone, and the server works the
 * offset out itself.  Fails (N2P_ERR_LIMIT) for a string, list or map too
 * long for PackStream's 32-bit sizes, and on out of memory.
 */
bool		n2p_ps_put_value(N2pBuf *buf, const N2pValue *v, bool utc, N2pError *err);

/* ------------------------------------------------------------- decoding */

/*
 * Decode one value from data[0..len) into out, allocating in arena.  *used
 * gets the number of bytes the value took.  utc tells how to read 'I'/'i'
 * against 'F'/'f': a server sends one pair or the other, never both, and
 * the other pair is an error.
 */
bool		n2p_ps_decode(const uint8_t *data, size_t len, bool utc, N2pArena *arena,
						  N2pValue *out, size_t *used, N2pError *err);

#endif							/* NEO2PG_PACKSTREAM_H */
