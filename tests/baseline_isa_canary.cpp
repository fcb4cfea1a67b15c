// Built with -mavx2 on purpose and never run: baseline_isa must find AVX2 in it, or that check is broken.
#include <cstdio>

int main(int argc, char**)
{
    float values[256];
    for (int i = 0; i < 256; ++i)
        values[i] = static_cast<float>(i * argc);
    float sumOfSquares = 0.0f;
    for (float v : values)
        sumOfSquares += v * v;
    std::printf("%f\n", static_cast<double>(sumOfSquares));
}
