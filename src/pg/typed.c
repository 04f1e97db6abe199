/*-------------------------------------------------------------------------
 *
 * typed.c
 *	  Text-format COPY fields for typed columns (--typed=tables), and what
 *	  the binary encoder (pgtyped_binary.c) shares with them.
 *
 * The text is the reference: the canonical ISO strings neo2pg already
 * produces are PostgreSQL's input syntax for every temporal type, PostGIS
 * reads EWKT, and the typed views cast the same strings.  The binary
 * encoder reproduces what PostgreSQL makes of this text.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/pg/typed.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/float_repr.h"
#include "neo2pg/temporal.h"
#include "neo2pg/pgcopy.h"
#include "neo2pg/typemap.h"
#include "typed_int.h"

#include <math.h>
#include <string.h>

bool
n2p_typed_holds(const N2pValue *v)
{
	return n2p_pg_castable(v);
}

bool
n2p_typed_append_string(N2pBuf *b, N2pStr s, const N2pPgEncodeOpts *opts, N2pError *err)
{
	const char *nul = memchr(s.ptr, '\0', s.len);
	size_t		i;

	if (nul == NULL)
		return n2p_buf_append(b, s.ptr, s.len) ||
			n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	if (opts == NULL || opts->nul_replacement == NULL)
		return n2p_error_set(err, N2P_ERR_DATA,
							 "string contains U+0000, which PostgreSQL cannot store (--replace-nul replaces it)");
	for (i = 0; i < s.len; i++)
		if (!(s.ptr[i] ? n2p_buf_putc(b, s.ptr[i])
			  : n2p_buf_append(b, opts->nul_replacement, strlen(opts->nul_replacement))))
			return n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	return true;
}

bool
n2p_copy_text_escape(N2pBuf *out, const char *s, size_t len)
{
	size_t		i,
				run = 0;

	if (!n2p_buf_reserve(out, len))
		return false;
	for (i = 0; i < len; i++)
	{
		const char *esc = NULL;

		switch (s[i])
		{
			case '\\':
				esc = "\\\\";
				break;
			case '\n':
				esc = "\\n";
				break;
			case '\r':
				esc = "\\r";
				break;
			case '\t':
				esc = "\\t";
				break;
			default:
				continue;
		}
		if (!n2p_buf_append(out, s + run, i - run) || !n2p_buf_append(out, esc, 2))
			return false;
		run = i + 1;
	}
	return n2p_buf_append(out, s + run, len - run);
}

static bool
float_text(N2pBuf *b, double d)
{
	char		tmp[N2P_DOUBLE_BUFSZ];

	if (isnan(d))
		return n2p_buf_append(b, "NaN", 3);
	if (isinf(d))
		return d > 0 ? n2p_buf_append(b, "Infinity", 8) : n2p_buf_append(b, "-Infinity", 9);
	return n2p_buf_append(b, tmp, n2p_format_double(d, tmp));
}

static bool
point_text(N2pBuf *b, const N2pValue *v, bool postgis)
{
	bool		z = n2p_srid_is_3d(v->u.point.srid);

	if (postgis)
		return n2p_buf_printf(b, "SRID=%d;POINT%s(", (int) v->u.point.srid, z ? " Z " : "") &&
			float_text(b, v->u.point.x) && n2p_buf_putc(b, ' ') && float_text(b, v->u.point.y) &&
			(!z || (n2p_buf_putc(b, ' ') && float_text(b, v->u.point.z))) &&
			n2p_buf_putc(b, ')');
	return n2p_buf_printf(b, "(%d,", (int) v->u.point.srid) && float_text(b, v->u.point.x) &&
		n2p_buf_putc(b, ',') && float_text(b, v->u.point.y) && n2p_buf_putc(b, ',') &&
		(!z || float_text(b, v->u.point.z)) && n2p_buf_putc(b, ')');
}

static bool
bytes_text(N2pBuf *b, N2pStr s)
{
	static const char hex[] = "0123456789abcdef";
	size_t		i;

	if (!n2p_buf_append(b, "\\x", 2))
		return false;
	for (i = 0; i < s.len; i++)
		if (!n2p_buf_putc(b, hex[(unsigned char) s.ptr[i] >> 4]) ||
			!n2p_buf_putc(b, hex[(unsigned char) s.ptr[i] & 15]))
			return false;
	return true;
}

/*
 * The unescaped text of one scalar for column kind t; false with *lost
 * when the column cannot hold it, false with err set on a real error.
 */
static bool
scalar_text(N2pBuf *b, const N2pValue *v, N2pColumnType t, bool postgis,
			N2pPgEncodeOpts *opts, bool *lost, N2pError *err)
{
	if (!n2p_typed_holds(v))
	{
		*lost = true;
		return false;
	}
	switch (v->type)
	{
		case N2P_BOOL:
			return n2p_buf_putc(b, v->u.b ? 't' : 'f');
		case N2P_INT:
			return n2p_buf_printf(b, "%lld", (long long) v->u.i);
		case N2P_FLOAT:
			/* a token whose double is 0 underflowed, and float8 refuses it */
			if (v->u.fnum.text && isfinite(v->u.f) && v->u.f != 0)
				return n2p_buf_append(b, v->u.fnum.text, v->u.fnum.len);
			return float_text(b, v->u.f);
		case N2P_STRING:
			return n2p_typed_append_string(b, v->u.str, opts, err);
		case N2P_BYTES:
			return bytes_text(b, v->u.str);
		case N2P_POINT:
			return point_text(b, v, postgis);
		default:
			(void) t;
			/* a timestamptz takes the offset; the zone id stays in props */
			if (v->type == N2P_DATETIME && v->u.dt.zone.len > 0)
			{
				N2pValue	noz = *v;

				noz.u.dt.zone.len = 0;
				return n2p_temporal_format_iso(&noz, b);
			}
			return n2p_temporal_format_iso(v, b);
	}
}

/* Array literal elements are double-quoted: '"' and '\' take a backslash. */
static bool
quote_element(N2pBuf *out, const char *s, size_t len)
{
	size_t		i;

	if (!n2p_buf_putc(out, '"'))
		return false;
	for (i = 0; i < len; i++)
		if ((s[i] == '"' || s[i] == '\\') ? !n2p_buf_putc(out, '\\') || !n2p_buf_putc(out, s[i])
			: !n2p_buf_putc(out, s[i]))
			return false;
	return n2p_buf_putc(out, '"');
}

static bool
field_text(N2pBuf *field, N2pBuf *scratch, const N2pValue *v, N2pColumnType t,
		   bool postgis, N2pPgEncodeOpts *opts, bool *lost, N2pError *err)
{
	const char *mark;
	size_t		i;

	if (t.kind == N2P_COL_JSONB)
		return n2p_pg_value_json(field, v, &mark, opts, err);
	if (!t.is_array)
		return scalar_text(field, v, t, postgis, opts, lost, err);
	if (v->type != N2P_LIST)
	{
		*lost = true;
		return false;
	}
	if (!n2p_buf_putc(field, '{'))
		return false;
	for (i = 0; i < v->u.list.n; i++)
	{
		bool		elem_lost = false;
		bool		ok;

		n2p_buf_reset(scratch);
		ok = scalar_text(scratch, &v->u.list.items[i], t, postgis, opts, &elem_lost, err);
		if (!ok && !elem_lost)
			return false;
		/* PostGIS geometry arrays separate elements with ':' */
		if (i > 0 && !n2p_buf_putc(field, postgis && t.kind == N2P_COL_POINT ? ':' : ','))
			return false;
		/*
		 * An element the type cannot hold is a NULL element, as in the
		 * views; the whole list is also kept in props (*lost).
		 */
		if (elem_lost)
		{
			*lost = true;
			if (!n2p_buf_append(field, "NULL", 4))
				return false;
		}
		else if (!quote_element(field, scratch->data, scratch->len))
			return false;
	}
	return n2p_buf_putc(field, '}');
}

void
n2p_typed_encoder_init(N2pTypedEncoder *enc, const N2pAllocator *alloc, bool postgis,
					   N2pPgEncodeOpts *opts)
{
	enc->postgis = postgis;
	enc->opts = opts;
	enc->geometry_oid = 0;
	enc->point_oid = 0;
	n2p_buf_init(&enc->field, alloc);
	n2p_buf_init(&enc->elem, alloc);
}

void
n2p_typed_encoder_free(N2pTypedEncoder *enc)
{
	n2p_buf_free(&enc->field);
	n2p_buf_free(&enc->elem);
}

bool
n2p_copy_text_typed(N2pTypedEncoder *enc, N2pBuf *out, const N2pValue *v, N2pColumnType t,
					bool *lost, N2pError *err)
{
	*lost = false;
	n2p_buf_reset(&enc->field);
	if (field_text(&enc->field, &enc->elem, v, t, enc->postgis, enc->opts, lost, err))
		return n2p_copy_text_escape(out, enc->field.data ? enc->field.data : "", enc->field.len) ||
			n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	if (*lost)
		return n2p_buf_append(out, "\\N", 2) || n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
	return err->code != N2P_OK ? false : n2p_error_set(err, N2P_ERR_NOMEM, "out of memory");
}
