//! GPU set-up and rendering. [`GpuContext`] picks an adapter — a real GPU when there is one,
//! Mesa's lavapipe otherwise — honouring wgpu's `WGPU_BACKEND`, `WGPU_ADAPTER_NAME` and
//! `WGPU_POWER_PREF` variables. Validation errors are caught and turned into [`Error::Gpu`]
//! rather than panics.

mod buffer;
pub mod canvas;
mod chrome;
mod image;
mod lines;
mod pipeline;
mod points;
mod readback;
pub mod renderer;
mod splat;

#[cfg(feature = "window")]
pub(crate) use buffer::texture_2d;
pub use canvas::{Canvas, FramePixels, FrameTimings, RgbaFrame};
pub use readback::read_texture;
pub use renderer::FigureRenderer;
/// When layers are splatted by a compute pass instead of drawn as triangles (see `splat.rs`).
pub use splat::{
    POINTS_MAX_SIZE_PX as SPLAT_POINTS_MAX_SIZE_PX, POINTS_MIN as SPLAT_POINTS_MIN,
    SEGMENTS_MIN as SPLAT_SEGMENTS_MIN,
};

use crate::{Error, Result};
use std::sync::{Arc, Mutex};

/// The texture format flipbook renders into: 8-bit RGBA, blended in sRGB space as matplotlib's
/// Agg does (colours are sRGB values; no linear-light conversion).
pub const CANVAS_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// A device and queue plus what is known about the adapter behind them.
pub struct GpuContext {
    /// The wgpu instance (kept for creating window surfaces).
    pub instance: wgpu::Instance,
    /// The chosen adapter.
    pub adapter: wgpu::Adapter,
    /// The logical device.
    pub device: wgpu::Device,
    /// Its queue.
    pub queue: wgpu::Queue,
    errors: Arc<Mutex<Vec<String>>>,
}

impl GpuContext {
    /// Opens a device for offscreen rendering.
    pub fn new_headless() -> Result<Self> {
        let instance = wgpu::Instance::new(instance_descriptor(
            wgpu::InstanceDescriptor::new_without_display_handle(),
        ));
        pollster::block_on(Self::from_instance(instance, None))
    }

    /// Opens a device on `instance` that can present to `surface` when one is given.
    pub async fn from_instance(
        instance: wgpu::Instance,
        surface: Option<&wgpu::Surface<'_>>,
    ) -> Result<Self> {
        let adapter = pick_adapter(&instance, surface).await?;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("flipbook device"),
                required_features: wgpu::Features::empty(),
                // Ask for everything the adapter offers: large textures and buffers
                // (a million points) need more than the portable defaults.
                required_limits: adapter.limits(),
                ..Default::default()
            })
            .await
            .map_err(|e| Error::Device(e.to_string()))?;
        let errors = Arc::new(Mutex::new(Vec::new()));
        let sink = errors.clone();
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            log::error!("wgpu: {e}");
            if let Ok(mut v) = sink.lock() {
                v.push(e.to_string());
            }
        }));
        Ok(GpuContext {
            instance,
            adapter,
            device,
            queue,
            errors,
        })
    }

    /// A one-line description of the adapter, e.g. `llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan, Cpu)`.
    pub fn describe(&self) -> String {
        let i = self.adapter.get_info();
        format!("{} ({:?}, {:?})", i.name, i.backend, i.device_type)
    }

    /// The largest texture side the device supports.
    pub fn max_texture_side(&self) -> u32 {
        self.device.limits().max_texture_dimension_2d
    }

    /// Returns the first GPU error recorded since the last call, if any.
    pub fn take_error(&self) -> Result<()> {
        let mut v = self
            .errors
            .lock()
            .map_err(|_| Error::Gpu("error log poisoned".into()))?;
        match v.drain(..).next() {
            Some(e) => Err(Error::Gpu(e)),
            None => Ok(()),
        }
    }
}

/// Applies wgpu's environment variables to `desc`. Without `WGPU_BACKEND`, only the primary
/// backends (Vulkan, Metal, DX12) are tried: probing OpenGL on a headless machine prints EGL
/// errors, and lavapipe covers the no-GPU case through Vulkan.
pub fn instance_descriptor(desc: wgpu::InstanceDescriptor) -> wgpu::InstanceDescriptor {
    let mut desc = desc.with_env();
    if std::env::var_os("WGPU_BACKEND").is_none() {
        desc.backends = wgpu::Backends::PRIMARY;
    }
    desc
}

async fn pick_adapter(
    instance: &wgpu::Instance,
    surface: Option<&wgpu::Surface<'_>>,
) -> Result<wgpu::Adapter> {
    if let Ok(wanted) = std::env::var("WGPU_ADAPTER_NAME") {
        let wanted_lc = wanted.to_lowercase();
        let adapters = instance.enumerate_adapters(wgpu::Backends::all()).await;
        let names: Vec<String> = adapters.iter().map(|a| a.get_info().name).collect();
        return adapters
            .into_iter()
            .filter(|a| surface.is_none_or(|s| a.is_surface_supported(s)))
            .find(|a| a.get_info().name.to_lowercase().contains(&wanted_lc))
            .ok_or_else(|| Error::NoAdapter {
                detail: format!(
                    " matching WGPU_ADAPTER_NAME='{wanted}' (available: {})",
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
            });
    }
    instance
        .request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::from_env()
                .unwrap_or(wgpu::PowerPreference::HighPerformance),
            force_fallback_adapter: false,
            compatible_surface: surface,
            ..Default::default()
        })
        .await
        .map_err(|e| Error::NoAdapter {
            detail: format!(" ({e})"),
        })
}
