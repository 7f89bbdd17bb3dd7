#include "rbm/dataset_summary.h"

#include "rbm/memory_limits.h"

namespace rbm {

std::vector<std::size_t> classCounts(const Dataset& d) {
    std::vector<std::size_t> counts;
    for (std::uint8_t l : d.labels) {
        if (l >= counts.size()) counts.resize(std::size_t(l) + 1, 0);
        ++counts[l];
    }
    return counts;
}

std::string describeDataset(const Dataset& d) {
    std::string s = std::to_string(d.rows) + "x" + std::to_string(d.cols) + " pixels, " + withThousands(d.count) +
                    (d.count == 1 ? " example" : " examples");
    if (!d.hasLabels()) return s + ", unlabelled";
    const std::vector<std::size_t> counts = classCounts(d);
    std::string list;
    std::size_t classes = 0;
    for (std::size_t c = 0; c < counts.size(); ++c) {
        if (counts[c] == 0) continue;
        ++classes;
        const std::string name = c < d.classNames.size() ? d.classNames[c] : std::to_string(c);
        list += (list.empty() ? "" : ", ") + name + " " + withThousands(counts[c]);
    }
    return s + ", " + std::to_string(classes) + (classes == 1 ? " class: " : " classes: ") + list;
}

}  // namespace rbm
