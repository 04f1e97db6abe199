/*-------------------------------------------------------------------------
 *
 * fuzz.h
 *	  What every fuzz target shares: libFuzzer's entry point, and a trap
 *	  for a property the target checks beyond "no crash".
 *
 * Each target feeds one decoder of outside bytes and checks that it ends
 * in a value or in an error with a code and a message, never in a crash,
 * a leak or undefined behaviour (ASan, LeakSanitizer and UBSan are on).
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NEO2PG_FUZZ_H
#define NEO2PG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "neo2pg/common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed check: libFuzzer saves the input that made it. */
#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/*
 * An error must say what it is: a code and a message.  A failure with
 * N2P_OK would let a caller take a cut stream for a whole one.
 */
static inline void
fuzz_check_error(const N2pError *err)
{
#ifdef FUZZ_TRACE
	/* why a seed stops where it does */
	fprintf(stderr, "error %d: %s [%s]\n", (int) err->code, err->msg, err->file);
#endif
	FUZZ_CHECK(err->code != N2P_OK);
	FUZZ_CHECK(err->msg[0] != '\0');
}

#endif							/* NEO2PG_FUZZ_H */
