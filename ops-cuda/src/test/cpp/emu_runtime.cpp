// The emulated device's execution engine: kernel registry and the block scheduler that runs a block's
// threads as fibers on the calling OS thread (see cuda_emu.h for the model).
//
// Context switches are a hand-written x86-64 routine (callee-saved registers and the stack pointer, no
// system call), which makes a barrier of a 256-thread block cost about ten microseconds; other
// architectures fall back to ucontext's swapcontext, correct but fifty to a hundred times slower (it
// makes a system call per switch).
#include "emu_runtime.h"

// The hand-written switch on x86-64; -DTHINJ_EMU_UCONTEXT forces the portable path (to test it).
#if defined(__x86_64__) && !defined(THINJ_EMU_UCONTEXT)
#define THINJ_EMU_ASM_SWITCH 1
#else
#define THINJ_EMU_ASM_SWITCH 0
#endif

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#if !THINJ_EMU_ASM_SWITCH
#include <ucontext.h>
#endif

#include "cuda_emu.h"

// The kernels' __shared__ variables, gathered by the linker into one section (see cuda_emu.h). Weak:
// the section does not exist when no kernel uses shared memory.
extern "C" char __start_thinj_emu_shared[] __attribute__((weak));
extern "C" char __stop_thinj_emu_shared[] __attribute__((weak));

uint3 threadIdx;
uint3 blockIdx;
dim3 blockDim;
dim3 gridDim;

namespace thinj_emu {

// ---- registry ----------------------------------------------------------------------------------

static std::vector<KernelInfo>& registry() {
    static std::vector<KernelInfo> kernels;  // built during static initialisation, read-only after
    return kernels;
}

void registerKernel(const KernelInfo& info) {
    registry().push_back(info);
}

int kernelCount() {
    return (int) registry().size();
}

const KernelInfo& kernelAt(int index) {
    return registry()[index];
}

int findKernel(const char* name) {
    const std::vector<KernelInfo>& k = registry();
    for (size_t i = 0; i < k.size(); i++) {
        if (strcmp(k[i].name, name) == 0) {
            return (int) i;
        }
    }
    return -1;
}

// ---- fibers ------------------------------------------------------------------------------------

namespace {

constexpr size_t STACK_BYTES = 64 * 1024;
constexpr unsigned MAX_THREADS = 1024;
constexpr int PERMUTATIONS = 16;

enum State : unsigned char { RUNNABLE, AT_BARRIER, DONE };

struct Fiber {
    void* sp;
    const char* file;  // the __syncthreads() it waits at
    int line;
    State state;
#if !THINJ_EMU_ASM_SWITCH
    ucontext_t context;
#endif
};

}  // namespace

#if THINJ_EMU_ASM_SWITCH
// void thinj_emu_switch(void** save, void* load): pushes the callee-saved registers, stores the stack
// pointer in *save, loads `load` and pops the registers saved there. A new fiber's stack is laid out
// so that the pops yield zeros and the `ret` enters fiberMain.
extern "C" void thinj_emu_switch(void** save, void* load);
asm(R"(
    .text
    .p2align 4
    .globl thinj_emu_switch
    .hidden thinj_emu_switch
    .type thinj_emu_switch, @function
thinj_emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size thinj_emu_switch, .-thinj_emu_switch
)");
#endif

namespace {

// Scheduler state: one launch at a time (emu_jni.cpp holds a lock around launch()).
std::vector<Fiber> fibers(MAX_THREADS);
Fiber* current = nullptr;
void* schedulerSp = nullptr;
Invoker currentInvoke = nullptr;
void** currentParams = nullptr;
#if !THINJ_EMU_ASM_SWITCH
ucontext_t schedulerContext;
#endif

// Deterministic pseudo-random orders of the block's threads, one per barrier phase.
unsigned permutedFor = 0;
std::vector<unsigned> permutations[PERMUTATIONS];
// Counts launches, so that the same kernel launched twice runs its threads in different orders: a
// result that depends on the order (a float atomicAdd, a race) then differs between the two runs, as
// it may on a GPU, and a determinism test catches it. The sequence is fixed, so runs are reproducible
// as long as the same launches come first; a test whose outcome depends on the order itself restarts
// the count (restartLaunchCount), since how many launches a batch producer thread made before it
// depends on scheduling.
uint64_t launches = 0;

void makePermutations(unsigned n) {
    uint64_t state = 0x9E3779B97F4A7C15ULL ^ n;
    for (int p = 0; p < PERMUTATIONS; p++) {
        std::vector<unsigned>& perm = permutations[p];
        perm.resize(n);
        for (unsigned i = 0; i < n; i++) {
            perm[i] = i;
        }
        if (p == 1) {  // plain reverse order among the shuffles
            for (unsigned i = 0; i < n / 2; i++) {
                std::swap(perm[i], perm[n - 1 - i]);
            }
            continue;
        }
        for (unsigned i = n; i > 1; i--) {  // Fisher-Yates with xorshift64*
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            unsigned j = (unsigned) ((state * 0x2545F4914F6CDD1DULL) >> 33) % i;
            std::swap(perm[i - 1], perm[j]);
        }
    }
    permutedFor = n;
}

// All stacks in one mapping, each with a PROT_NONE guard page below it (an overflow faults instead of
// damaging a neighbour). Mapped once, touched lazily: only the pages fibers use become resident.
char* stackArea = nullptr;
size_t stackStride = 0;

bool mapStacks() {
    if (stackArea != nullptr) {
        return true;
    }
    size_t page = (size_t) sysconf(_SC_PAGESIZE);
    stackStride = STACK_BYTES + page;
    void* m = mmap(nullptr, stackStride * MAX_THREADS, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
            -1, 0);
    if (m == MAP_FAILED) {
        return false;
    }
    for (unsigned t = 0; t < MAX_THREADS; t++) {
        mprotect(static_cast<char*>(m) + t * stackStride, page, PROT_NONE);
    }
    stackArea = static_cast<char*>(m);
    return true;
}

// The top of thread t's stack. Tops are staggered by a cache line per thread ("colouring"), so the
// hot frames of a block's fibers do not all compete for the same cache sets.
char* stackTop(unsigned t) {
    return stackArea + (t + 1) * stackStride - (t % 64) * 64;
}

void fiberMain() {
    currentInvoke(currentParams);
    current->state = DONE;
#if THINJ_EMU_ASM_SWITCH
    thinj_emu_switch(&current->sp, schedulerSp);
#else
    swapcontext(&current->context, &schedulerContext);
#endif
    abort();  // a finished fiber is never resumed
}

#if THINJ_EMU_ASM_SWITCH
void* initialFrame(char* top) {
    uintptr_t* sp = reinterpret_cast<uintptr_t*>(top);  // 16-byte aligned
    *--sp = 0;                                                           // fiberMain's return address
    *--sp = reinterpret_cast<uintptr_t>(&fiberMain);                     // popped by ret
    for (int i = 0; i < 6; i++) {
        *--sp = 0;  // rbp, rbx, r12-r15
    }
    return sp;
}
#endif

inline void resume(Fiber* f) {
    current = f;
#if THINJ_EMU_ASM_SWITCH
    thinj_emu_switch(&schedulerSp, f->sp);
#else
    swapcontext(&schedulerContext, &f->context);
#endif
}

std::string where(const char* file, int line) {
    const char* slash = strrchr(file, '/');
    return std::string(slash ? slash + 1 : file) + ":" + std::to_string(line);
}

}  // namespace

void restartLaunchCount(uint64_t count) {
    launches = count;
}

std::string launch(const KernelInfo& kernel, unsigned grid, unsigned block, void** params) {
    if (block < 1 || block > MAX_THREADS) {
        return std::string(kernel.name) + ": block of " + std::to_string(block) + " threads (1 to 1024 allowed)";
    }
    if (permutedFor != block) {
        makePermutations(block);
    }
    if (!mapStacks()) {
        return std::string(kernel.name) + ": cannot map fiber stacks";
    }
    uint64_t launchSeed = (++launches * 0x9E3779B97F4A7C15ULL) >> 40;
    currentInvoke = kernel.invoke;
    currentParams = params;
    gridDim = dim3{grid, 1, 1};
    blockDim = dim3{block, 1, 1};
    // Blocks run in a different order from launch to launch too (a GPU promises no order): a walk
    // through 0..grid-1 with a stride coprime to grid, from an offset, both chosen by the launch seed.
    static const unsigned STRIDES[] = {1, 7919, 104729, 3, 31};
    unsigned stride = 1;
    for (int i = 0; i < 5; i++) {
        unsigned candidate = STRIDES[(launchSeed + i) % 5] % grid;
        if (candidate != 0 && std::gcd(candidate, grid) == 1) {
            stride = candidate;
            break;
        }
    }
    unsigned offset = (unsigned) ((launchSeed * 0x2545F4914F6CDD1DULL) % grid);
    std::string error;
    for (unsigned k = 0; k < grid && error.empty(); k++) {
        unsigned b = (unsigned) ((offset + (uint64_t) k * stride) % grid);
        blockIdx = uint3{b, 0, 0};
        if (__start_thinj_emu_shared != nullptr) {
            memset(__start_thinj_emu_shared, 0xFF, __stop_thinj_emu_shared - __start_thinj_emu_shared);
        }
        for (unsigned t = 0; t < block; t++) {
            Fiber& f = fibers[t];
            f.state = RUNNABLE;
            f.file = nullptr;
            f.line = 0;
#if THINJ_EMU_ASM_SWITCH
            f.sp = initialFrame(stackTop(t));
#else
            getcontext(&f.context);
            f.context.uc_stack.ss_sp = stackTop(t) - (STACK_BYTES - 4096);
            f.context.uc_stack.ss_size = STACK_BYTES - 4096;
            f.context.uc_link = nullptr;
            makecontext(&f.context, &fiberMain, 0);
#endif
        }
        for (unsigned phase = 0;; phase++) {
            const std::vector<unsigned>& order = permutations[(launchSeed + b * 7 + phase) % PERMUTATIONS];
            unsigned waiting = 0;
            const Fiber* first = nullptr;
            const Fiber* other = nullptr;
            for (unsigned k = 0; k < block; k++) {
                unsigned t = order[k];
                Fiber* f = &fibers[t];
                if (f->state == DONE) {
                    continue;
                }
                f->state = RUNNABLE;
                threadIdx = uint3{t, 0, 0};
                resume(f);
                if (f->state == AT_BARRIER) {
                    waiting++;
                    if (first == nullptr) {
                        first = f;
                    } else if (other == nullptr && (f->line != first->line
                                                           || (f->file != first->file && strcmp(f->file, first->file) != 0))) {
                        other = f;
                    }
                }
            }
            if (waiting == 0) {
                break;
            }
            if (waiting != block) {
                error = std::string(kernel.name) + " (emulated): in block " + std::to_string(b) + ", "
                        + std::to_string(waiting) + " of " + std::to_string(block) + " threads wait at __syncthreads() ("
                        + where(first->file, first->line) + ") which the other threads never reach: every thread of "
                        + "a block must reach every __syncthreads()";
                break;
            }
            if (other != nullptr) {
                error = std::string(kernel.name) + " (emulated): in block " + std::to_string(b)
                        + ", threads wait at different __syncthreads() (" + where(first->file, first->line) + " and "
                        + where(other->file, other->line) + "): every thread of a block must reach the same barriers";
                break;
            }
        }
    }
    // Abandoned fibers (after an error) hold nothing: their stacks are simply reused.
    current = nullptr;
    return error;
}

}  // namespace thinj_emu

void thinj_emu_syncthreads(const char* file, int line) {
    using namespace thinj_emu;
    Fiber* f = current;
    if (f == nullptr) {
        fprintf(stderr, "thinj emulator: __syncthreads() outside a kernel launch\n");
        abort();
    }
    f->state = AT_BARRIER;
    f->file = file;
    f->line = line;
#if THINJ_EMU_ASM_SWITCH
    thinj_emu_switch(&f->sp, schedulerSp);
#else
    swapcontext(&f->context, &schedulerContext);
#endif
}
