/* The host side: opens a runspace pool whose sink prints every PSRP fragment
 * it receives, decoded, then runs the sample provider on a fresh MI_Context.
 *
 * Usage: sample_host [ITEMS] [-v] [-o STREAM_FILE] [--stream] [--folders N] [--delay MS]
 *   ITEMS           how many items the provider copies (default 5)
 *   -v              also print each message's CLIXML
 *   -o STREAM_FILE  also write the raw fragment stream to STREAM_FILE
 *                   (what a transport would send; `mi-psrp decode` reads it)
 *   --stream        write the raw fragment stream to standard output instead of
 *                   the decoded view (pipe it into `mi-psrp watch`)
 *   --folders N     run a parent operation over N folders, each a child
 *                   operation of the provider (nested progress)
 *   --delay MS      how long the provider spends on each item (default 0)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mi_psrp.h"
#include "sample_provider.h"

struct printer {
    int verbose;
    int quiet;
    FILE *stream;
    unsigned fragments;
    /* one message being reassembled */
    uint8_t message[1 << 20];
    size_t length;
};

static uint64_t be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
}

static uint32_t be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* A GUID in .NET byte order (Guid.ToByteArray) as text. */
static void guid_text(const uint8_t *b, char out[37]) {
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

/* Prints the text of property `name` from the CLIXML (still XML-escaped). */
static void print_property(const char *xml, const char *name) {
    char key[64];
    snprintf(key, sizeof key, " N=\"%s\"", name);
    const char *at = strstr(xml, key);
    if (!at) {
        printf(" %s=?", name);
        return;
    }
    if (strncmp(at - 4, "<Nil", 4) == 0) {
        printf(" %s=null", name);
        return;
    }
    const char *text = strchr(at, '>') + 1;
    const char *end = strchr(text, '<');
    int quoted = strncmp(at - 2, "<S", 2) == 0;
    printf(" %s=%s%.*s%s", name, quoted ? "\"" : "", (int)(end - text), text, quoted ? "\"" : "");
}

static void print_message(struct printer *p) {
    const uint8_t *m = p->message;
    char rpid[37], pid[37];
    guid_text(m + 8, rpid);
    guid_text(m + 24, pid);
    printf("  message   Destination=%s Type=0x%08x%s RPID=%s PID=%s\n",
           le32(m) == 1 ? "Client" : "Server", le32(m + 4),
           le32(m + 4) == 0x00041010 ? " (PROGRESS_RECORD)" : "", rpid, pid);
    /* data: UTF-8 BOM, then CLIXML */
    char *xml = malloc(p->length - 40 - 3 + 1);
    memcpy(xml, m + 43, p->length - 43);
    xml[p->length - 43] = 0;
    printf("  record   ");
    print_property(xml, "Activity");
    print_property(xml, "ActivityId");
    print_property(xml, "StatusDescription");
    print_property(xml, "CurrentOperation");
    print_property(xml, "ParentActivityId");
    print_property(xml, "PercentComplete");
    print_property(xml, "SecondsRemaining");
    printf(" Type=%s\n", strstr(xml, "<ToString>Completed<") ? "Completed" : "Processing");
    if (p->verbose) printf("  clixml    %s\n", xml);
    free(xml);
}

static void sink(void *user_data, const uint8_t *fragment, size_t length) {
    struct printer *p = user_data;
    p->fragments++;
    if (p->stream) {
        fwrite(fragment, 1, length, p->stream);
        fflush(p->stream);
    }
    if (p->quiet) return;
    uint8_t flags = fragment[16];
    uint32_t blob = be32(fragment + 17);
    printf("fragment    ObjectId=%llu FragmentId=%llu%s%s blob=%u bytes\n",
           (unsigned long long)be64(fragment), (unsigned long long)be64(fragment + 8),
           flags & 1 ? " Start" : "", flags & 2 ? " End" : "", blob);
    if (flags & 1) p->length = 0;
    if (p->length + blob <= sizeof p->message) {
        memcpy(p->message + p->length, fragment + 21, blob);
        p->length += blob;
    }
    if (flags & 2) print_message(p);
}

int main(int argc, char **argv) {
    static struct printer printer;
    unsigned items = 5, folders = 0, delay_ms = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            printer.verbose = 1;
        } else if (strcmp(argv[i], "--stream") == 0) {
            printer.stream = stdout;
            printer.quiet = 1;
        } else if (strcmp(argv[i], "--folders") == 0 && i + 1 < argc) {
            folders = (unsigned)atoi(argv[++i]);
        } else if (strcmp(argv[i], "--delay") == 0 && i + 1 < argc) {
            delay_ms = (unsigned)atoi(argv[++i]);
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            printer.stream = fopen(argv[++i], "wb");
            if (!printer.stream) {
                perror(argv[i]);
                return 2;
            }
        } else {
            items = (unsigned)atoi(argv[i]);
        }
    }

    mipsrp_pool *pool = NULL;
    MI_Result r = mipsrp_pool_new("6397709e-f7d6-c54d-9568-fd4656ae4820", sink, &printer, &pool);
    if (r != MI_RESULT_OK) {
        fprintf(stderr, "mipsrp_pool_new: %u\n", (unsigned)r);
        return 1;
    }
    const char *pipeline = "632aa393-254e-b24d-8288-4d968d0da65d";

    if (folders == 0) {
        MI_Context *context = NULL;
        r = mipsrp_context_new(pool, pipeline, -1, -1, &context);
        if (r != MI_RESULT_OK) {
            fprintf(stderr, "mipsrp_context_new: %u\n", (unsigned)r);
            return 1;
        }
        SampleProvider_CopyFiles(context, items, delay_ms);
        mipsrp_context_free(context);
    } else {
        /* A composite operation: the host reports the folders, and runs the
         * provider once per folder as a child activity. */
        MI_Context *parent = NULL;
        int32_t parent_id = -1;
        wchar_t status[64], folder[64];
        if (mipsrp_context_new(pool, pipeline, -1, -1, &parent) != MI_RESULT_OK ||
            mipsrp_context_get_activity_id(parent, &parent_id) != MI_RESULT_OK) {
            fprintf(stderr, "parent context failed\n");
            return 1;
        }
        for (unsigned f = 0; f < folders; f++) {
            swprintf(status, 64, L"%u of %u folders", f, folders);
            swprintf(folder, 64, L"folder %c", (wchar_t)(L'A' + f % 26));
            MI_Context_WriteProgress(parent, L"Backing up", folder, status, f * 100 / folders, 0xFFFFFFFFu);
            MI_Context *child = NULL;
            if (mipsrp_context_new(pool, pipeline, -1, parent_id, &child) != MI_RESULT_OK) return 1;
            SampleProvider_CopyFiles(child, items, delay_ms);
            mipsrp_context_free(child);
        }
        swprintf(status, 64, L"%u of %u folders", folders, folders);
        MI_Context_WriteProgress(parent, L"Backing up", NULL, status, 100, 0);
        MI_Context_PostResult(parent, MI_RESULT_OK);
        mipsrp_context_free(parent);
    }

    mipsrp_pool_free(pool);
    if (printer.stream && printer.stream != stdout) fclose(printer.stream);
    if (!printer.quiet) printf("%u fragments sent\n", printer.fragments);
    return 0;
}
