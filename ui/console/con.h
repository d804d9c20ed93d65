/* con.h - what every file of the console shares: the curses include, the
 * event a key becomes, and the results handlers return. Internal to
 * ui/console. */
#ifndef TM_CON_CON_H
#define TM_CON_CON_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stddef.h>

/* The minimum screen: below it the console shows a message instead. */
#define CON_MIN_COLS 60
#define CON_MIN_ROWS 20

/* A key and the request it is bound to (REQ_NONE when unbound). */
typedef struct con_event {
	int key;                /* keys.h encoding */
	int req;                /* requests.h id */
} con_event;

/* What a widget, dialog or global handler did with an event
 * (neomutt dispatchers, htop HandlerResult). */
typedef enum con_result {
	CON_UNHANDLED = 0,      /* not mine: ask the next handler */
	CON_HANDLED,            /* done */
	CON_CLOSE,              /* done, and the dialog closes */
	CON_REDRAW              /* done, and everything must be redrawn */
} con_result;

#define CON_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
