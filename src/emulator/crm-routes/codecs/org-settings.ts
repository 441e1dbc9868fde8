/** Codecs of the org settings areas: the org photo (base64), currencies, taxes. */
import { areaCodec, fromBase64, toBase64 } from "../../area-codec.js";
import { CURRENCY_AREA, PHOTO_AREA, TAX_AREA, type CurrencyDef, type Photo, type TaxDef } from "../org-settings-routes.js";

type PhotoArea = { photo: Photo | undefined };

export const orgPhotoCodec = areaCodec<PhotoArea, { photo: { data: string; contentType: string } | null }>({
  name: PHOTO_AREA,
  snapshot: ({ photo }) => ({ photo: photo ? { data: toBase64(photo.data), contentType: photo.contentType } : null }),
  restore: ({ photo }) => ({ photo: photo ? { data: fromBase64(photo.data), contentType: photo.contentType } : undefined }),
});

export const currenciesCodec = areaCodec<{ currencies: CurrencyDef[] }, { currencies: CurrencyDef[] }>({
  name: CURRENCY_AREA,
  snapshot: (area) => area,
  restore: (json) => json,
});

export const taxesCodec = areaCodec<{ taxes: TaxDef[] }, { taxes: TaxDef[] }>({ name: TAX_AREA, snapshot: (area) => area, restore: (json) => json });
