// A provider written in C++ (C++17), and a small C++ host that runs it.
// The provider side uses only mi.h; the host side uses mi_psrp.h. Both
// headers carry extern "C" guards, so nothing here needs its own.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "mi_psrp.h"

namespace provider {

// Reports progress for one activity; ends the operation when it goes out of
// scope unless the caller already did.
class Operation {
  public:
    Operation(MI_Context *context, std::wstring activity)
        : context_(context), activity_(std::move(activity)) {}
    Operation(const Operation &) = delete;
    Operation &operator=(const Operation &) = delete;
    ~Operation() {
        if (!ended_) end(MI_RESULT_OK);
    }

    MI_Result report(const std::wstring &status, const std::wstring &current, unsigned percent) {
        return MI_Context_WriteProgress(context_, activity_.c_str(), current.c_str(), status.c_str(),
                                        percent, 0xFFFFFFFFu);
    }

    bool canceled() const {
        MI_Boolean flag = MI_FALSE;
        return MI_Context_Canceled(context_, &flag) == MI_RESULT_OK && flag;
    }

    void end(MI_Result result) {
        MI_Context_PostResult(context_, result);
        ended_ = true;
    }

  private:
    MI_Context *context_;
    std::wstring activity_;
    bool ended_ = false;
};

void IndexDocuments(MI_Context *context, const std::vector<std::wstring> &documents) {
    Operation op(context, L"Indexing documents");
    for (std::size_t i = 0; i < documents.size() && !op.canceled(); ++i) {
        std::wstring status = std::to_wstring(i) + L" of " + std::to_wstring(documents.size()) + L" indexed";
        if (op.report(status, L"indexing " + documents[i], static_cast<unsigned>(i * 100 / documents.size())) !=
            MI_RESULT_OK) {
            op.end(MI_RESULT_FAILED);
            return;
        }
    }
    op.report(L"done", L"", 100);
}  // ~Operation posts the result: the host sends the Completed record

}  // namespace provider

namespace {

struct Seen {
    unsigned processing = 0;
    unsigned completed = 0;
};

extern "C" void count_records(void *user_data, const uint8_t *fragment, size_t length) {
    auto *seen = static_cast<Seen *>(user_data);
    std::string xml(reinterpret_cast<const char *>(fragment) + 64, length - 64);
    if (xml.find("<ToString>Completed</ToString>") != std::string::npos) {
        ++seen->completed;
    } else {
        ++seen->processing;
    }
    auto at = xml.find("<S N=\"StatusDescription\">");
    auto end = xml.find('<', at + 25);
    std::printf("record: %s\n", xml.substr(at + 25, end - at - 25).c_str());
}

}  // namespace

int main() {
    Seen seen;
    mipsrp_pool *pool = nullptr;
    MI_Context *context = nullptr;
    if (mipsrp_pool_new("{6397709E-F7D6-C54D-9568-FD4656AE4820}", count_records, &seen, &pool) != MI_RESULT_OK ||
        mipsrp_context_new(pool, "632aa393254eb24d82884d968d0da65d", -1, -1, &context) != MI_RESULT_OK) {
        std::fprintf(stderr, "setup failed\n");
        return 1;
    }
    provider::IndexDocuments(context, {L"a.txt", L"b.txt", L"\u00e9t\u00e9.txt"});
    mipsrp_context_free(context);
    mipsrp_pool_free(pool);
    std::printf("%u processing records, %u Completed\n", seen.processing, seen.completed);
    return seen.processing == 4 && seen.completed == 1 ? 0 : 1;
}
