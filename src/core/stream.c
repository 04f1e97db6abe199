/*-------------------------------------------------------------------------
 *
 * stream.c
 *	  Pump a source into a sink.
 *
 * Copyright (c) 2026, neo2pg developers
 *
 * IDENTIFICATION
 *	  src/core/stream.c
 *
 *-------------------------------------------------------------------------
 */
#include "neo2pg/stream.h"

/* Progress is reported this often; cheap enough, and ~10/s at full speed. */
#define PROGRESS_EVERY 16384

bool
n2p_stream_copy(N2pSource *src, N2pSink *sink, N2pProgressFn progress,
				void *progress_ctx, N2pError *err)
{
	N2pRecord	rec;
	N2pRecKind	phase = N2P_REC_NODE;
	uint64_t	rows = 0;
	int			rc;

	if (!sink->ops->begin(sink, &src->meta, err))
		goto fail;
	while ((rc = src->ops->next(src, &rec, err)) == 1)
	{
		if (rec.kind != phase)
		{
			/* the source has moved on to the next phase's files already */
			if (progress)
				progress(progress_ctx, phase, rows, src->meta.node_bytes);
			phase = rec.kind;
			rows = 0;
			if (progress)
				progress(progress_ctx, phase, 0, 0);
		}
		if (!sink->ops->write(sink, &rec, err))
			goto fail;
		if (++rows % PROGRESS_EVERY == 0 && progress)
			progress(progress_ctx, phase, rows, src->ops->bytes_done(src));
	}
	if (rc < 0)
		goto fail;
	if (progress)
		progress(progress_ctx, phase, rows, src->ops->bytes_done(src));
	if (!sink->ops->finish(sink, err))
		goto fail;
	return true;

fail:
	sink->ops->abort(sink);
	return false;
}
