/* select.c - choose and open the backend of a run (see select.h). */
#include "select.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "directory.h"
#include "store.h"

static int select_store(const char *dir, backend_choice *c, tm_error *e)
{
	if (!dir)
		return store_default_dir(c->store_dir, sizeof(c->store_dir), e);
	if (!dir[0] || strlen(dir) >= sizeof(c->store_dir)) {
		tm_fail(e, TM_EUSAGE, NULL, "The store folder given with --store is %s.",
			dir[0] ? "too long" : "empty");
		tm_hint(e, "Give an existing or creatable folder, or leave --store out to use "
			"the default.");
		return -1;
	}
	snprintf(c->store_dir, sizeof(c->store_dir), "%s", dir);
	return 0;
}

int backend_choose(const char *store_opt, const char *config_opt, backend_choice *c,
		   tm_error *e)
{
	int found;

	memset(c, 0, sizeof(*c));
	if (store_opt && config_opt) {
		tm_fail(e, TM_EUSAGE, NULL, "--store and --config name two different backends");
		tm_hint(e, "Use --store DIR for the embedded store or --config FILE for real domains.");
		return -1;
	}
	if (store_opt)
		return select_store(store_opt, c, e);
	found = cfg_find(config_opt, c->config, sizeof(c->config), e);
	if (found < 0)
		return -1;
	if (found == 0)
		c->config[0] = '\0';
	return found ? 0 : select_store(NULL, c, e);
}

tm_backend *backend_open(const backend_choice *c, tm_error *e)
{
	if (c->config[0])
		return directory_open(c->config, e);
	return store_open(c->store_dir, e);
}
