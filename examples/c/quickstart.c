#include <stdio.h>
#include "journeystream.h"

int main(void) {
    journeystream_map *map = NULL;
    if (journeystream_map_from_file("examples/acme-stamping.json", &map) != JOURNEYSTREAM_STATUS_OK) {
        fprintf(stderr, "%s\n", journeystream_last_error_message());
        return 1;
    }
    journeystream_metrics *metrics = NULL;
    journeystream_summary s;
    if (journeystream_map_measure(map, JOURNEYSTREAM_REWORK_MODEL_SINGLE_PASS, &metrics) != JOURNEYSTREAM_STATUS_OK ||
        journeystream_metrics_summary(metrics, &s) != JOURNEYSTREAM_STATUS_OK) {
        fprintf(stderr, "%s\n", journeystream_last_error_message());
        journeystream_map_free(map);
        return 1;
    }
    printf("takt %.0f s, process time %.0f s, lead time %.1f days, bottleneck %s\n",
           s.takt_time_s, s.process_time_s, s.lead_time_days, s.bottleneck_step);
    journeystream_metrics_free(metrics);
    journeystream_map_free(map);
    return 0;
}
