// TEMPORARY: the fast evaluator's API until kernels/model/point_evaluator.hpp lands on main.
#pragma once
#if __has_include("model/point_evaluator.hpp")
#include "model/point_evaluator.hpp"
#else
#include "sweep/point_evaluator_stub.hpp"
#endif
