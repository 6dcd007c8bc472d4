//! The command line's environment set-up, done first thing in `main` while the process has one
//! thread: which Vulkan drivers the loader may load on a machine without a GPU, and whether
//! llvmpipe rasterises on its submitting thread during an export. Library users choose these
//! themselves; they are measured defaults for the `flipbook` program.

use std::path::{Path, PathBuf};

/// Tells Mesa's device-select layer to stay out of the way on headless machines: it tries to
/// reach a Wayland compositor and prints an error when there is none, and wgpu orders adapters
/// itself.
pub fn quiet_device_select() {
    if std::env::var_os("XDG_RUNTIME_DIR").is_none()
        && std::env::var_os("NODEVICE_SELECT").is_none()
    {
        // SAFETY: called first thing in main; no other thread can read the environment.
        unsafe { std::env::set_var("NODEVICE_SELECT", "1") };
    }
}

/// Data items (line points, markers) above which frames count as heavy for
/// [`rasterize_inline_for_export`].
const HEAVY_FRAME_ITEMS: usize = 1 << 18;

/// Mesa's llvmpipe rasterises on worker threads, one per core. During an export the encoder
/// thread (or ffmpeg) competes with them, and handing every frame between threads costs more
/// than it gains: with rasterisation on the submitting thread instead (`LP_NUM_THREADS=0`) the
/// lorenz GIF export takes 0.70 s rather than 0.77 s and the MP4 1.06 s rather than 1.16 s.
/// Heavy frames (a big point cloud, splatted by a compute pass that wants every core) keep the
/// threads, and so do machines with more than two cores (not measured) and a user's own
/// `LP_NUM_THREADS`. Other drivers ignore the variable.
/// Must run before the GPU is set up, while the process has one thread.
pub fn rasterize_inline_for_export(generator: &dyn flipbook::FrameGenerator) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if std::env::var_os("LP_NUM_THREADS").is_some() || cores > 2 {
        return;
    }
    let frame = generator.frame(generator.frame_count() / 2);
    let items: usize = frame
        .panels
        .iter()
        .flat_map(|p| {
            p.layers
                .iter()
                .chain(p.decor.twin_y.iter().flat_map(|t| &t.layers))
        })
        .map(|layer| match layer {
            flipbook::scene::Layer::Lines(l) => l.strips.iter().map(Vec::len).sum(),
            flipbook::scene::Layer::Points(p) => p.data.positions.len(),
            _ => 0,
        })
        .sum();
    if items < HEAVY_FRAME_ITEMS {
        // SAFETY: called before any thread is started (the GPU, progress bar and encoders
        // come later), so nothing can read the environment concurrently.
        unsafe { std::env::set_var("LP_NUM_THREADS", "0") };
    }
}

/// On a Linux machine with no GPU device at all (no /dev/dri, /dev/nvidia*, /dev/dxg, …), the
/// Vulkan loader would still load every hardware driver installed (Mesa's Intel and Radeon
/// drivers, each with its libraries) only for each to find no device: about 8 ms of every run
/// here. There the loader is given just the software drivers' manifests (lavapipe,
/// SwiftShader) from the standard directories. Driver variables the user set (even an empty
/// `VK_LOADER_DRIVERS_DISABLE=`) are left alone and turn this off.
/// Must run while the process has one thread.
pub fn load_only_software_vulkan_without_gpu_devices() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let user_chose = [
        "VK_DRIVER_FILES",
        "VK_ICD_FILENAMES",
        "VK_ADD_DRIVER_FILES",
        "VK_LOADER_DRIVERS_SELECT",
        "VK_LOADER_DRIVERS_DISABLE",
    ]
    .iter()
    .any(|v| std::env::var_os(v).is_some());
    // Device nodes of GPU drivers (DRM, NVIDIA, WSL, ARM Mali, Qualcomm, Vivante, older Jetson),
    // DRM devices the kernel knows, and a loaded NVIDIA module (whose nodes may appear later).
    let gpu_node = ["nvidia", "mali", "kgsl", "galcore", "nvhost"];
    let dev = Path::new("/dev");
    let gpu_nodes = dev.join("dri").exists()
        || dev.join("dxg").exists()
        || Path::new("/sys/module/nvidia").exists()
        || std::fs::read_dir("/sys/class/drm").is_ok_and(|mut e| e.next().is_some())
        || std::fs::read_dir(dev).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                gpu_node.iter().any(|g| name.starts_with(g))
            })
        });
    if user_chose || gpu_nodes {
        return;
    }
    let software: Vec<PathBuf> = [
        "/etc/vulkan/icd.d",
        "/usr/local/share/vulkan/icd.d",
        "/usr/share/vulkan/icd.d",
    ]
    .iter()
    .filter_map(|d| std::fs::read_dir(d).ok())
    .flat_map(|entries| entries.flatten().map(|e| e.path()))
    .filter(|p| {
        let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase());
        name.is_some_and(|n| {
            n.ends_with(".json") && (n.contains("lvp") || n.contains("swiftshader"))
        })
    })
    .collect();
    if let Ok(files) = std::env::join_paths(&software)
        && !software.is_empty()
    {
        // SAFETY: called first thing in main, before any thread exists.
        unsafe { std::env::set_var("VK_DRIVER_FILES", files) };
    }
}
