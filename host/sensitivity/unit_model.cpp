#include "host/sensitivity/unit_model.hpp"

#include "host/common/parallel_for.hpp"

namespace astra::sensitivity {

std::vector<double> evaluate_points(const UnitModel& model, const std::vector<std::vector<double>>& points,
                                    unsigned threads) {
  std::vector<double> out(points.size());
  parallel_for(points.size(), 4, threads, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) out[i] = model(points[i]);
  });
  return out;
}

DesignModel design_on_threads(UnitModel model, unsigned threads) {
  return [model = std::move(model), threads](const Design& design) {
    std::vector<double> out(design.size());
    parallel_for(design.size(), 4, threads, [&](std::size_t b, std::size_t e) {
      std::vector<double> x(design.k);
      for (std::size_t j = b; j < e; ++j) {
        x.assign(design.point(j), design.point(j) + design.k);
        out[j] = model(x);
      }
    });
    return out;
  };
}

}  // namespace astra::sensitivity
