// Shape helpers for borrowed tensor views.
#include "tensor.h"

namespace bertlab {

int64_t TensorView::numel() const
{
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

int64_t TensorView::rows() const
{
    return shape.size() >= 2 ? shape[0] : 1;
}

int64_t TensorView::cols() const
{
    if (shape.empty()) return 1;
    if (shape.size() == 1) return shape[0];
    int64_t n = 1;
    for (size_t i = 1; i < shape.size(); ++i) n *= shape[i];
    return n;
}

ConstMatrixMap TensorView::matrix() const
{
    return ConstMatrixMap(data, rows(), cols());
}

std::string TensorView::shapeString() const
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

TensorView makeOwnedTensor(std::vector<float> values, std::vector<int64_t> shape)
{
    auto storage = std::make_shared<std::vector<float>>(std::move(values));
    TensorView view;
    view.data = storage->data();
    view.shape = std::move(shape);
    view.owner = storage;
    return view;
}

} // namespace bertlab
