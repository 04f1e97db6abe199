/*-------------------------------------------------------------------------
 *
 * float_repr.h
 *	  Floats as Python's repr prints them: the form the Python tool's JSON
 *	  holds, which neo2pg keeps in props and in literals.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  include/neo2pg/float_repr.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_FLOAT_REPR_H
#define NEO2PG_FLOAT_REPR_H

#include <stddef.h>

/*
 * Format a double exactly as Python's repr() does: shortest digits that
 * read back as the same double, fixed notation with at least ".0" when
 * 1e-4 <= |d| < 1e16, otherwise d.ddde[+-]XX; "nan", "inf", "-inf".
 * buf must hold N2P_DOUBLE_BUFSZ bytes; returns the length written.
 */
#define N2P_DOUBLE_BUFSZ 32
size_t		n2p_format_double(double d, char *buf);

#endif							/* NEO2PG_FLOAT_REPR_H */
