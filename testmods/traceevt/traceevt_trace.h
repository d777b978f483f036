/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM traceevt

#if !defined(_TRACEEVT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACEEVT_TRACE_H

#include <linux/tracepoint.h>

#define TRACEEVT_MODES { 0, "idle" }, { 1, "busy" }, { 2, "done" }
#define TRACEEVT_FLAGS { 1, "A" }, { 2, "B" }, { 4, "C" }

TRACE_EVENT(traceevt_tick,
	TP_PROTO(int count, const char *who, unsigned long flags, int mode),
	TP_ARGS(count, who, flags, mode),
	TP_STRUCT__entry(
		__field(int, count)
		__string(who, who)
		__field(unsigned long, flags)
		__field(int, mode)
		__array(u8, bytes, 4)
	),
	TP_fast_assign(
		__entry->count = count;
		__assign_str(who, who);
		__entry->flags = flags;
		__entry->mode = mode;
		__entry->bytes[0] = count;
		__entry->bytes[1] = count + 1;
		__entry->bytes[2] = 0xab;
		__entry->bytes[3] = 0xcd;
	),
	TP_printk("count=%d who=%s flags=%s mode=%s bytes=%s", __entry->count, __get_str(who),
		  __print_flags(__entry->flags, "|", TRACEEVT_FLAGS),
		  __print_symbolic(__entry->mode, TRACEEVT_MODES),
		  __print_hex(__entry->bytes, 4))
);

TRACE_EVENT(traceevt_done,
	TP_PROTO(int total),
	TP_ARGS(total),
	TP_STRUCT__entry(
		__field(int, total)
	),
	TP_fast_assign(
		__entry->total = total;
	),
	TP_printk("total=%d", __entry->total)
);

#endif

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE traceevt_trace
#include <trace/define_trace.h>
